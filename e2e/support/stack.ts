// Starts the real web server and workers as separate processes against a test database.
type Env = Record<string, string | undefined>
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { afterAll } from 'vitest'
import { freePort } from '@/lib/runtime/embedded-postgres'
import { spawnWeb, spawnWorker, stopChild, waitForHttp } from '@/lib/runtime/processes'

export type Stack = {
  baseUrl: string
  env: Env
  web: ChildProcess
  workers: ChildProcess[]
  startWorker: () => ChildProcess
  stop: () => Promise<void>
}

export function testEnvironment(databaseUrl: string, extra: Env = {}): Env {
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

export async function startStack(options: { databaseUrl: string; workers?: number; env?: Env }): Promise<Stack> {
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const env = testEnvironment(options.databaseUrl, { APP_URL: baseUrl, ...options.env })
  const web = spawnWeb(env, port, 'pipe')
  const workers: ChildProcess[] = []
  const output: string[] = []
  const capture = (child: ChildProcess) => {
    child.stdout?.on('data', (chunk) => output.push(String(chunk)))
    child.stderr?.on('data', (chunk) => output.push(String(chunk)))
    // Debugging aid: TEST_STACK_OUTPUT=1 shows the processes' logs live.
    if (process.env.TEST_STACK_OUTPUT === '1') {
      child.stdout?.pipe(process.stderr)
      child.stderr?.pipe(process.stderr)
    }
  }
  capture(web)
  const startWorker = () => {
    const worker = spawnWorker(env, 'pipe')
    capture(worker)
    workers.push(worker)
    return worker
  }
  for (let i = 0; i < (options.workers ?? 1); i++) startWorker()

  const stop = async () => {
    await Promise.all([web, ...workers].map((child) => stopChild(child)))
  }
  afterAll(stop)
  try {
    await waitForHttp(`${baseUrl}/api/v1/status`, 60_000)
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- process output ---\n${output.join('').slice(-4000)}`)
  }
  return { baseUrl, env, web, workers, startWorker, stop }
}

/** Polls until `check` returns a value (not undefined); fails with the last value after the deadline. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const value = await check()
      if (value !== undefined) return value
    } catch (error) {
      last = error
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`)
}
