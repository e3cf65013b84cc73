// npm run demo: everything `npm start` runs, plus the local WhatsApp simulator and the virtual phone,
// so someone with no phone and no internet can pair an instance and message it both ways.
import path from 'node:path'
import { runService, say } from '@/lib/runtime/service'
import { dataDir } from '@/lib/runtime/paths'
import { startSimulator, type SandboxService, type Simulator } from '@/simulator/index'
import { startLocalSandbox } from './sandbox-service'

// Fixed ports: media URLs carry the media host's port, so a restarted demo must get the same one.
const SIMULATOR_PORTS = { port: 3101, controlPort: 3102, mediaPort: 3103 }

let simulator: Simulator | undefined
let sandbox: SandboxService | undefined

await runService({
  beforeStart: async () => {
    simulator = await startSimulator({ ...SIMULATOR_PORTS, dataDir: path.join(dataDir, 'wa-sim') })
    process.env.WA_WS_URL = simulator.wsUrl
    process.env.WA_ROOT_PUBLIC_KEY = simulator.rootPublicKeyHex
    process.env.WA_MEDIA_CA = simulator.mediaCaPath ?? ''
    process.env.WA_MEDIA_HOST = new URL(simulator.mediaUrl).host
    process.env.WA_SIMULATOR_CONTROL_URL = simulator.controlUrl
    process.env.WA_VERSION_URL = `${simulator.controlUrl}/sw.js`
    process.env.WEBHOOK_ALLOW_PRIVATE_URLS = 'true'
    sandbox = await startLocalSandbox()
    say(`WhatsApp simulator on ${simulator.wsUrl} (control API ${simulator.controlUrl}); state in .data/wa-sim.`)
  },
  afterStop: async () => {
    await simulator?.stop()
    await sandbox?.stop()
  },
  ready: (url) => say(`Demo: create an instance, then open ${url}/demo/phone to scan its QR with the virtual phone.`),
})
