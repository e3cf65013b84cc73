// Where a sequential sendText spends its time: one paired instance, N sends one after another, and the
// CPU each process spends per send, next to the same for GET connectionState and the bare route.
//   node --conditions=react-server --import tsx bench/send-anatomy.ts
// SEND_ANATOMY_SENDS (default 300) sets N. SEND_ANATOMY_STATEMENT_LOG=1 then makes five more sends with
// Postgres' statement log on (ALTER SYSTEM, reset after: it needs a superuser and the server's log
// file), printing each send's start and end to line up with the log's timestamps.
// BENCH_CPU_PROF=<dir> profiles web and worker as in `npm run bench`.
import postgres from 'postgres'
import { Agent, request } from 'undici'
import { buildWebIfNeeded } from '@/lib/runtime/build'
import { createMigratedDatabase } from '@/test-support/database'
import { dataPlane } from '@/test-support/data-plane'
import { pairInstance } from '@/test-support/pairing'
import { startSimulatorProcess } from '@/test-support/simulator'
import { createAccountWithKey, say, startBenchStack } from './stack'
import { cpuUsedDuring, percentile } from './stats'

const CONTACT = '919876543210'
const count = Number(process.env.SEND_ANATOMY_SENDS ?? 300)

process.env.NEXT_DIST_DIR ??= '.next-bench'
buildWebIfNeeded(say)
const database = await createMigratedDatabase({ namePrefix: 'sage_bench', embeddedDir: 'bench-pg' })
process.env.DATABASE_URL = database.url
const probe = postgres(database.url, { max: 1, onnotice: () => {} })
const sim = await startSimulatorProcess()
const stack = await startBenchStack(database.url, sim.env)
const agent = new Agent({ keepAliveTimeout: 60_000 })
try {
  const account = await createAccountWithKey(stack, database.url)
  await probe`insert into instances (user_id, name) values (${account.userId}, 'anatomy')`
  await sim.client.createAccount(CONTACT, 'Bench Contact')
  await sim.client.setReceiptTiming({ deliveryMs: null, readMs: null })
  await pairInstance(dataPlane(stack, account.apiKey), sim, 'anatomy', '15552000000', 60_000)
  const headers = { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' }
  const sendBody = JSON.stringify({ number: CONTACT, text: 'Benchmark message: your order #1042 has shipped.' })
  const call = async (path: string, method: 'GET' | 'POST', expected: number) => {
    const startedAt = performance.timeOrigin + performance.now()
    const response = await request(`${stack.baseUrl}${path}`, { method, headers, body: method === 'POST' ? sendBody : undefined, dispatcher: agent })
    await response.body.arrayBuffer()
    if (response.statusCode !== expected) throw new Error(`${method} ${path}: ${response.statusCode}`)
    return { startedAt, ms: performance.timeOrigin + performance.now() - startedAt }
  }
  const pids = { web: stack.web.pid!, worker: stack.workers[0].pid!, simulator: sim.child.pid! }
  const calls = [
    ['sendText', '/api/v1/instance/anatomy/message/sendText', 'POST', 201],
    ['connectionState', '/api/v1/instance/anatomy/connectionState', 'GET', 200],
    ['bare route', '/bench-noop', 'GET', 200],
  ] as const
  for (const [label, path, method, expected] of calls) {
    for (let i = 0; i < 30; i++) await call(path, method, expected) // warm-up (the contact's session, the caches)
    const latencies: number[] = []
    const { used } = await cpuUsedDuring(pids, async () => {
      for (let i = 0; i < count; i++) latencies.push((await call(path, method, expected)).ms)
    })
    const perCall = Object.entries(used).map(([name, seconds]) => `${name} ${((seconds * 1000) / count).toFixed(2)}`).join(', ')
    say(`${label}, ${count} one after another: p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms; CPU ms per call: ${perCall}`)
  }
  if (process.env.SEND_ANATOMY_STATEMENT_LOG === '1') {
    await probe`alter system set log_min_duration_statement = 0`
    await probe`alter system set log_line_prefix = '%m [%p] %a '`
    await probe`select pg_reload_conf()`
    try {
      for (let i = 0; i < 5; i++) {
        const { startedAt, ms } = await call(calls[0][1], 'POST', 201)
        say(`logged send ${i + 1}: ${new Date(startedAt).toISOString()} + ${ms.toFixed(2)} ms`)
      }
    } finally {
      await probe`alter system reset log_min_duration_statement`
      await probe`alter system reset log_line_prefix`
      await probe`select pg_reload_conf()`
    }
  }
} finally {
  await agent.close()
  await stack.stop()
  await sim.stop()
  await probe.end()
  await database.drop()
}
