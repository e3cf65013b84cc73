// The real stack for tests and benchmarks: the production web server and worker processes on one database.
import fs from 'node:fs'
import path from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { freePort } from '@/lib/runtime/embedded-postgres'
import { spawnWeb, spawnWorker, stopChild, waitForHttp, type ChildEnv } from '@/lib/runtime/processes'
import { eventually } from './eventually'

export type Stack = {
  baseUrl: string
  /** The processes' environment (without `processEnv`): what a CLI run against this stack uses. */
  env: ChildEnv
  web: ChildProcess
  /** Every worker started so far, the first one included. */
  workers: ChildProcess[]
  startWorker: () => ChildProcess
  stop: () => Promise<void>
}

export type StackOptions = {
  databaseUrl: string
  /** Worker processes to start with the web server (default 1); stack.startWorker() adds more. */
  workers?: number
  /** Added to the environment of every process and to stack.env. */
  env?: ChildEnv
  /** Added to the web and worker processes only, not to stack.env (e.g. a CPU profiler preload). */
  processEnv?: ChildEnv
  /**
   * Each process's output goes to `<logDir>/<web|worker>-<pid>.log`. Without it the output is kept
   * in memory and shown when start-up fails (TEST_STACK_OUTPUT=1 also streams it to stderr live).
   */
  logDir?: string
  /** How long the web server may take to answer /api/v1/status, and then the workers to beat (default 60 s each). */
  readyTimeoutMs?: number
  /** How long each process gets between SIGTERM and SIGKILL when the stack stops (default 10 s). */
  stopTimeoutMs?: number
}

/** Fresh secrets, test mode and quiet logs (TEST_LOG_LEVEL to change) on top of this process's environment. */
export function testEnvironment(databaseUrl: string, extra: ChildEnv = {}): ChildEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: randomBytes(32).toString('base64url'),
    SAGE_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    SAGE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ...extra,
  }
}

/** Starts the web server and the workers, and resolves once the web server answers and every worker beats; stops them all if not within readyTimeoutMs. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const env = testEnvironment(options.databaseUrl, { APP_URL: baseUrl, ...options.env })
  const processEnv = { ...env, ...options.processEnv }
  const output: string[] = []
  const record = (child: ChildProcess, name: string) => {
    if (options.logDir) {
      const file = fs.createWriteStream(path.join(options.logDir, `${name}-${child.pid}.log`))
      child.stdout?.pipe(file)
      child.stderr?.pipe(file)
      return child
    }
    child.stdout?.on('data', (chunk) => output.push(String(chunk)))
    child.stderr?.on('data', (chunk) => output.push(String(chunk)))
    if (process.env.TEST_STACK_OUTPUT === '1') {
      child.stdout?.pipe(process.stderr)
      child.stderr?.pipe(process.stderr)
    }
    return child
  }
  const web = record(spawnWeb(processEnv, port, 'pipe'), 'web')
  const workers: ChildProcess[] = []
  const startWorker = () => {
    const worker = record(spawnWorker(processEnv, 'pipe'), 'worker')
    workers.push(worker)
    return worker
  }
  for (let i = 0; i < (options.workers ?? 1); i++) startWorker()
  const stop = async () => {
    await Promise.all([web, ...workers].map((child) => stopChild(child, options.stopTimeoutMs)))
  }
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000
  try {
    await waitForHttp(`${baseUrl}/api/v1/status`, readyTimeoutMs)
    // The web server answers long before a worker has booted on a busy machine; a test's first
    // connect would then meet "no worker is running". Ready means every worker has beaten too.
    const expectedWorkers = options.workers ?? 1
    if (expectedWorkers > 0) {
      await eventually(async () => {
        const status = (await (await fetch(`${baseUrl}/api/v1/status`)).json()) as { checks?: { workers?: { alive?: number } } }
        return (status.checks?.workers?.alive ?? 0) >= expectedWorkers ? true : undefined
      }, readyTimeoutMs, 200)
    }
  } catch (error) {
    await stop()
    const logs = options.logDir ? `process logs in ${options.logDir}` : `--- process output ---\n${output.join('').slice(-4000)}`
    throw new Error(`${(error as Error).message}\n${logs}`)
  }
  return { baseUrl, env, web, workers, startWorker, stop }
}
