// CLI (`npm run simulator`): node --conditions=react-server --import tsx simulator/main.ts --port 0 --data-dir .data/wa-sim
// Prints one JSON line with the URLs and the root key, then runs until SIGINT/SIGTERM.
// `react-server` because the libsignal quieting logs through lib/log, which is server-only.
import { parseArgs } from 'node:util'
import { startSimulator } from './simulator.js'

// stdout carries exactly one JSON line (whoever started the process reads it), so any other
// console output goes to stderr.
console.log = console.error
console.info = console.error
console.warn = console.error

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'control-port': { type: 'string', default: '0' },
    'media-port': { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    debug: { type: 'boolean', default: false }
  }
})

const sim = await startSimulator({
  port: Number(values.port),
  controlPort: Number(values['control-port']),
  mediaPort: Number(values['media-port']),
  dataDir: values['data-dir'],
  host: values.host,
  debug: values.debug
})

process.stdout.write(JSON.stringify({
  wsUrl: sim.wsUrl,
  controlUrl: sim.controlUrl,
  mediaUrl: sim.mediaUrl,
  rootPublicKeyHex: sim.rootPublicKeyHex,
  mediaCaPath: sim.mediaCaPath
}) + '\n')

let stopping = false
const shutdown = async () => {
  if (stopping) return
  stopping = true
  process.stderr.write('[wa-sim] stopping\n')
  await sim.stop()
  process.exit(0)
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)
