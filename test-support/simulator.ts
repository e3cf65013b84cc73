// The local WhatsApp simulator for tests and benchmarks, with the settings that point a worker at it.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { spawn, type ChildProcess } from 'node:child_process'
import { projectRoot } from '@/lib/runtime/paths'
import { stopChild } from '@/lib/runtime/processes'
import { SimulatorClient, startSimulator, type Simulator } from '@/simulator/index'

type SimulatorAddresses = Pick<Simulator, 'wsUrl' | 'controlUrl' | 'rootPublicKeyHex' | 'mediaCaPath' | 'mediaUrl'>

/**
 * What a worker needs to reach the simulator and trust it; media and webhook URLs are on 127.0.0.1
 * in tests. The simulator also stands for WhatsApp's version source (its `/sw.js`), so no worker
 * in a test reaches out for the current WhatsApp Web version.
 */
export function simulatorEnv(simulator: SimulatorAddresses): Record<string, string> {
  return {
    WA_WS_URL: simulator.wsUrl,
    WA_ROOT_PUBLIC_KEY: simulator.rootPublicKeyHex,
    WA_MEDIA_CA: simulator.mediaCaPath ?? '',
    WA_MEDIA_HOST: new URL(simulator.mediaUrl).host,
    WA_VERSION_URL: `${simulator.controlUrl}/sw.js`,
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  }
}

export type TestSimulator = {
  simulator: Simulator
  client: SimulatorClient
  /** Give to startStack({ env }) so its workers connect to this simulator. */
  env: Record<string, string>
  dataDir: string
  stop: () => Promise<void>
}

/** A simulator in this process, on a fresh temporary data dir unless one is given (a restart reuses the old one). WA_SIM_DEBUG=1 logs every stanza. */
export async function startTestSimulator(options: { port?: number; dataDir?: string } = {}): Promise<TestSimulator> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sage-wa-sim-'))
  const simulator = await startSimulator({ port: options.port ?? 0, dataDir, debug: process.env.WA_SIM_DEBUG === '1' })
  return { simulator, dataDir, client: new SimulatorClient(simulator.controlUrl), env: simulatorEnv(simulator), stop: () => simulator.stop() }
}

/** The line `npm run simulator` prints on stdout once it listens. */
export type SimulatorAnnouncement = SimulatorAddresses & { controlUrl: string }

export type SimulatorProcess = {
  child: ChildProcess
  announced: SimulatorAnnouncement
  client: SimulatorClient
  env: Record<string, string>
  dataDir: string
  stop: () => Promise<void>
}

/**
 * The simulator's CLI (simulator/main.ts) in a process of its own, e.g. so its event loop does not
 * compete with a load generator's. Resolves with the JSON line it prints once it listens.
 */
export async function startSimulatorProcess(options: { dataDir?: string; readyTimeoutMs?: number } = {}): Promise<SimulatorProcess> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sage-wa-sim-'))
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', path.join(projectRoot, 'simulator/main.ts'), '--port', '0', '--data-dir', dataDir], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stderr: string[] = []
  child.stderr!.on('data', (chunk) => stderr.push(String(chunk)))
  const timeoutMs = options.readyTimeoutMs ?? 30_000
  let timer: NodeJS.Timeout | undefined
  try {
    const line = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).once('line', resolve)
      child.once('exit', (code) => reject(new Error(`simulator exited (${code}): ${stderr.join('').slice(-2000)}`)))
      timer = setTimeout(() => reject(new Error(`simulator printed nothing within ${timeoutMs} ms: ${stderr.join('').slice(-2000)}`)), timeoutMs)
    })
    const announced = JSON.parse(line) as SimulatorAnnouncement
    return { child, announced, dataDir, client: new SimulatorClient(announced.controlUrl), env: simulatorEnv(announced), stop: () => stopChild(child) }
  } catch (error) {
    await stopChild(child)
    throw error
  } finally {
    clearTimeout(timer)
  }
}
