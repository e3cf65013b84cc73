// The sandbox service inside `npm start` and `npm run demo` (production runs `npm run sandbox` next to
// the workers instead and points SANDBOX_URL at it): started unless SANDBOX_ENABLED=false or
// SANDBOX_URL names one already running elsewhere.
import path from 'node:path'
import { say } from '@/lib/runtime/service'
import { dataDir } from '@/lib/runtime/paths'
import { startSandboxService, type SandboxService } from '@/simulator/index'

const SANDBOX_PORT = 3110

export async function startLocalSandbox(): Promise<SandboxService | undefined> {
  const enabled = process.env.SANDBOX_ENABLED
  if (enabled === 'false' || enabled === '0' || process.env.SANDBOX_URL) return undefined
  const service = await startSandboxService({ port: SANDBOX_PORT, dataDir: path.join(dataDir, 'sandbox') })
  process.env.SANDBOX_URL = service.url
  say(`Sandbox service on ${service.url}; state in .data/sandbox.`)
  return service
}
