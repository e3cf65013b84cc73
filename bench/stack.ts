// The real stack for the benchmarks: its own database, the simulator in its own process, web and worker.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { randomBytes } from 'node:crypto'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import postgres from 'postgres'
import { freePort, startEmbeddedPostgres } from '@/lib/runtime/embedded-postgres'
import { dataDir, projectRoot } from '@/lib/runtime/paths'
import { spawnWeb, spawnWorker, stopChild, waitForHttp, type ChildEnv } from '@/lib/runtime/processes'
import { SimulatorClient } from '@/simulator/client'

export const say = (line: string) => console.error(`[bench] ${line}`)

export type BenchDatabase = { adminUrl: string; url: string; name: string; drop: () => Promise<void> }

/** DATABASE_URL's server if set, else an embedded one under .data/bench-pg; a fresh `sage_bench_<random>` database either way. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  let adminUrl = process.env.DATABASE_URL
  let stopServer = async () => {}
  if (!adminUrl) {
    const embedded = await startEmbeddedPostgres({ databaseDir: path.join(dataDir, 'bench-pg'), reuseRunning: false, onLog: () => {} })
    adminUrl = embedded.url('postgres')
    stopServer = embedded.stop
  }
  const name = `sage_bench_${randomBytes(5).toString('hex')}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${name}"`)
  const parsed = new URL(adminUrl)
  parsed.pathname = `/${name}`
  const url = parsed.toString()
  const { migrateDatabase } = await import('@/lib/db/migrate')
  await migrateDatabase(url)
  return {
    adminUrl,
    url,
    name,
    drop: async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`).catch((error) => say(`could not drop ${name}: ${error}`))
      await admin.end({ timeout: 5 })
      await stopServer()
    },
  }
}

export type SimulatorProcess = { child: ChildProcess; client: SimulatorClient; env: Record<string, string>; dataDir: string }

/** The simulator in a process of its own, so its event loop does not compete with the load generator's. */
export async function startSimulatorProcess(): Promise<SimulatorProcess> {
  const simDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage-bench-sim-'))
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'simulator/main.ts'), '--port', '0', '--data-dir', simDir], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stderr: string[] = []
  child.stderr!.on('data', (chunk) => stderr.push(String(chunk)))
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`simulator exited (${code}): ${stderr.join('').slice(-2000)}`)))
  })
  const info = JSON.parse(line) as { wsUrl: string; controlUrl: string; rootPublicKeyHex: string; mediaCaPath?: string }
  return {
    child,
    dataDir: simDir,
    client: new SimulatorClient(info.controlUrl),
    env: { WA_WS_URL: info.wsUrl, WA_ROOT_PUBLIC_KEY: info.rootPublicKeyHex, WA_MEDIA_CA: info.mediaCaPath ?? '', WEBHOOK_ALLOW_PRIVATE_URLS: 'true' },
  }
}

export type Stack = {
  baseUrl: string
  env: ChildEnv
  web: ChildProcess
  worker: ChildProcess
  startWorker: () => ChildProcess
  stop: () => Promise<void>
}

/** Web and one worker, at the log level a production run uses (info) unless LOG_LEVEL says otherwise. */
export async function startStack(databaseUrl: string, extra: ChildEnv): Promise<Stack> {
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const env: ChildEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: randomBytes(32).toString('base64url'),
    SAGE_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    SAGE_ENV: 'test',
    SAGE_BENCH: '1',
    APP_URL: baseUrl,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info', // production's default
    ...extra,
  }
  // Logs go to files: the figures are what this prints.
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage-bench-logs-'))
  const toFile = (child: ChildProcess, name: string) => {
    const file = fs.createWriteStream(path.join(logDir, `${name}-${child.pid}.log`))
    child.stdout?.pipe(file)
    child.stderr?.pipe(file)
    return child
  }
  // BENCH_CPU_PROF=<dir>: web and worker write V8 CPU profiles there when they stop.
  const profile: ChildEnv = process.env.BENCH_CPU_PROF ? { NODE_OPTIONS: `--import ${path.join(projectRoot, 'bench/cpu-profile.mjs')}`, BENCH_CPU_PROF: path.resolve(process.env.BENCH_CPU_PROF) } : {}
  const web = toFile(spawnWeb({ ...env, ...profile }, port, 'pipe'), 'web')
  const workers: ChildProcess[] = []
  const startWorker = () => {
    const worker = toFile(spawnWorker({ ...env, ...profile }, 'pipe'), 'worker')
    workers.push(worker)
    return worker
  }
  const worker = startWorker()
  say(`process logs in ${logDir}`)
  await waitForHttp(`${baseUrl}/api/v1/status`, 90_000)
  return { baseUrl, env, web, worker, startWorker, stop: async () => void (await Promise.all([web, ...workers].map((child) => stopChild(child, 20_000)))) }
}

/** A verified account with a key: minted by the real CLI, then its limit raised past the CLI's cap, so the limiter still runs its one statement per request but never refuses. */
export async function createAccountWithKey(stack: Stack, databaseUrl: string): Promise<{ userId: string; email: string; apiKey: string }> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  try {
    const email = `bench-${randomBytes(4).toString('hex')}@example.com`
    const [user] = await sql`insert into users (email, password_hash, email_verified_at) values (${email}, 'not-a-real-hash', now()) returning id`
    const result = spawnSync(process.execPath, ['bin/sage.mjs', 'key:create', '--email', email, '--rate-limit', '10000'], {
      cwd: projectRoot,
      env: stack.env as unknown as NodeJS.ProcessEnv,
      encoding: 'utf8',
    })
    if (result.status !== 0) throw new Error(`sage key:create failed: ${result.stderr}`)
    const apiKey = result.stdout.trim().split('\n').at(-1)!
    // The product caps keys at 10,000/min (a check constraint); this throwaway database lifts the cap.
    await sql`alter table api_keys drop constraint if exists api_keys_rate_limit_range`
    await sql`update api_keys set rate_limit = 100000000 where user_id = ${user.id}`
    return { userId: user.id as string, email, apiKey }
  } finally {
    await sql.end()
  }
}

export type Api = (path: string, init?: RequestInit) => Promise<{ status: number; body: any }>

export function dataPlane(stack: Stack, apiKey: string): Api {
  return async (apiPath, init = {}) => {
    const headers = new Headers(init.headers)
    headers.set('authorization', `Bearer ${apiKey}`)
    if (typeof init.body === 'string') headers.set('content-type', 'application/json')
    const response = await fetch(`${stack.baseUrl}/api/v1/instance/${apiPath}`, { ...init, headers })
    const text = await response.text()
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {}
    return { status: response.status, body }
  }
}

export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 200): Promise<T> {
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

/** The product's pairing flow: GET connect → the simulated phone scans the QR → connectionState open. */
export async function pairInstance(api: Api, sim: SimulatorProcess, name: string, phone: string, timeoutMs = 60_000): Promise<void> {
  const connect = await api(`${name}/connect`)
  if (connect.status !== 200 || !connect.body?.code) throw new Error(`connect ${name}: ${connect.status} ${JSON.stringify(connect.body)}`)
  await sim.client.scanQr(connect.body.code, phone)
  await eventually(async () => ((await api(`${name}/connectionState`)).body.instance?.state === 'open' ? true : undefined), timeoutMs, 250)
}

/** Runs `task` over `items` with at most `parallel` at a time. */
export async function inParallel<T>(items: T[], parallel: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      while (next < items.length) {
        const index = next++
        await task(items[index], index)
      }
    }),
  )
}

export { stopChild, freePort }
