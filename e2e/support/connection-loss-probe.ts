// A process that uses the app's own postgres.js clients (lib/db) while its backends are terminated,
// for lib/db/connection-loss.test.ts. It installs no error handlers of its own: a driver bug that
// throws outside a query (an uncaught exception, an unhandled rejection) kills it, and the test sees
// the exit. Prints one JSON line with what each query did.
import net from 'node:net'
import postgres from 'postgres'
import { closeDatabase, sqlClient } from '@/lib/db'

const scenario = process.argv[2]
const url = process.env.DATABASE_URL!
// The killer's connections are opened up front, before anything is locked.
const killer = postgres(url, { max: 2, onnotice: () => {}, connection: { application_name: 'killer' } })
await Promise.all([killer`select 1`, killer`select 1`])

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string; message?: string }) => `rejected ${error.code ?? error.message}`,
  )

async function waitForBackend(condition: string): Promise<number> {
  for (;;) {
    const [row] = await killer.unsafe(`select pid from pg_stat_activity where application_name = 'probe' and ${condition} limit 1`)
    if (row) return row.pid
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/**
 * A TCP proxy between lib/db and Postgres that holds back the first array-types query a connection
 * sends (postgres.js runs it right after connecting), until told to let it through.
 */
async function startTypesQueryProxy(target: URL) {
  let held: () => void = () => {}
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  const heldNow = new Promise<void>((resolve) => (held = resolve))
  let intercepted = false
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname)
    upstream.on('data', (chunk) => client.write(chunk))
    client.on('data', (chunk) => {
      if (!intercepted && chunk.includes('typarray')) {
        intercepted = true
        held()
        void released.then(() => upstream.writable && upstream.write(chunk))
      } else upstream.write(chunk)
    })
    const closeBoth = () => (client.destroy(), upstream.destroy())
    client.on('close', closeBoth).on('error', closeBoth)
    upstream.on('close', closeBoth).on('error', closeBoth)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const proxied = new URL(target)
  proxied.hostname = '127.0.0.1'
  proxied.port = String((server.address() as net.AddressInfo).port)
  return { url: proxied.toString(), heldNow, release }
}

const proxy = scenario === 'startup' ? await startTypesQueryProxy(new URL(url)) : undefined
if (proxy) process.env.DATABASE_URL = proxy.url // read by lib/db when it first connects, below
const typesQueryHeld = proxy?.heldNow
const releaseTypesQuery = () => proxy?.release()

const results: Record<string, unknown> = {}
const sql = sqlClient()

if (scenario === 'transaction') {
  // The backend dies mid-transaction; postgres.js then writes the ROLLBACK to a socket already gone.
  const transaction = outcome(sql.begin(async (tx) => tx`select pg_sleep(30)`))
  const pid = await waitForBackend(`query like '%pg_sleep%' and state = 'active'`)
  await killer`select pg_terminate_backend(${pid})`
  results.transaction = await transaction
  results.nextQuery = await outcome(sql`select 1`)
}

if (scenario === 'startup') {
  // The backend dies while a new connection fetches the array types: the proxy holds that query back
  // until the backend has been terminated, so the termination lands exactly then.
  const query = outcome(sql`select 1`)
  await typesQueryHeld
  const [{ pid }] = await killer`select pid from pg_stat_activity where application_name = 'probe'`
  await killer`select pg_terminate_backend(${pid})`
  while ((await killer`select 1 from pg_stat_activity where pid = ${pid}`).length) await new Promise((resolve) => setTimeout(resolve, 10))
  releaseTypesQuery()
  results.query = await query
  results.nextQuery = await outcome(sql`select 1`)
}

const closing = Date.now()
await closeDatabase()
results.closeMs = Date.now() - closing
await killer.end({ timeout: 5 })
process.stdout.write(`${JSON.stringify(results)}\n`, () => process.exit(0)) // the proxy would keep it alive
