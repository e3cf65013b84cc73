// CLI (`npm run sandbox`): the sandbox service (sandbox-service.ts) as a process of its own, next to
// the workers. Prints one JSON line ({"url": …}) on stdout, then runs until SIGINT/SIGTERM.
import { parseArgs } from 'node:util'
import { startSandboxService } from './sandbox-service.js'

console.log = console.error
console.info = console.error
console.warn = console.error

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '3110' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string', default: '.data/sandbox' },
  },
})

const service = await startSandboxService({ port: Number(values.port), host: values.host, dataDir: values['data-dir'] })
process.stdout.write(JSON.stringify({ url: service.url }) + '\n')

let stopping = false
const shutdown = async () => {
  if (stopping) return
  stopping = true
  await service.stop()
  process.exit(0)
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)
