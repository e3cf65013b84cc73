// The local WhatsApp simulator for tests: started in the test process, the stack's workers connect to it.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll } from 'vitest'
import { startSimulator, SimulatorClient, type Simulator } from '@/simulator/index'

export type TestSimulator = { simulator: Simulator; client: SimulatorClient; env: Record<string, string>; dataDir: string }

export async function startTestSimulator(options: { port?: number; dataDir?: string } = {}): Promise<TestSimulator> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sage-wa-sim-'))
  const simulator = await startSimulator({ port: options.port ?? 0, dataDir, debug: process.env.WA_SIM_DEBUG === '1' })
  afterAll(() => simulator.stop())
  return {
    simulator,
    dataDir,
    client: new SimulatorClient(simulator.controlUrl),
    env: {
      WA_WS_URL: simulator.wsUrl,
      WA_ROOT_PUBLIC_KEY: simulator.rootPublicKeyHex,
      WA_MEDIA_CA: simulator.mediaCaPath ?? '',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    },
  }
}
