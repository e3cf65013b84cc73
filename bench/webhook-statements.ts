// Statements and transactions per webhook delivery, counted on the wire: a measure that does not
// depend on how busy the machine is. A throwaway database; the dispatcher runs in this process
// behind a counting TCP proxy (every connection of ours and graphile-worker's goes through it);
// a backlog of BENCH_WEBHOOK_BACKLOG events (default 1,000) is committed at once and drained.
//   node --conditions=react-server --import tsx bench/webhook-statements.ts
import net from 'node:net'
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { createMigratedDatabase } from '@/test-support/database'
import { createVerifiedAccount } from '@/test-support/accounts'
import { startWebhookReceiver } from '@/test-support/webhook-receiver'

/** Counts the frontend messages that run a statement: Execute (extended protocol) and Query (simple). */
function startCountingProxy(databaseUrl: string) {
  const target = new URL(databaseUrl)
  const counts = { statements: 0 }
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname)
    let buffer = Buffer.alloc(0)
    let started = false
    client.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk])
      for (;;) {
        if (!started) {
          if (buffer.length < 8) break
          const length = buffer.readInt32BE(0)
          if (buffer.length < length) break
          const code = buffer.readInt32BE(4)
          buffer = buffer.subarray(length)
          if (code !== 80877103) started = true // not an SSLRequest: the startup message
          continue
        }
        if (buffer.length < 5) break
        const length = buffer.readInt32BE(1)
        if (buffer.length < length + 1) break
        const type = String.fromCharCode(buffer[0])
        if (type === 'E' || type === 'Q') counts.statements++
        buffer = buffer.subarray(length + 1)
      }
      upstream.write(chunk)
    })
    upstream.pipe(client)
    const close = () => (client.destroy(), upstream.destroy())
    client.on('error', close).on('close', close)
    upstream.on('error', close).on('close', close)
  })
  return new Promise<{ url: string; counts: typeof counts; close: () => void }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const proxied = new URL(target)
      proxied.hostname = '127.0.0.1'
      proxied.port = String((server.address() as net.AddressInfo).port)
      resolve({ url: proxied.toString(), counts, close: () => server.close() })
    }),
  )
}

const backlog = Number(process.env.BENCH_WEBHOOK_BACKLOG ?? 1000)
const database = await createMigratedDatabase({ namePrefix: 'sage_bench_wh', embeddedDir: 'bench-pg' })
const proxy = await startCountingProxy(database.url)
Object.assign(process.env, {
  DATABASE_URL: proxy.url,
  SAGE_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
})
const direct = postgres(database.url, { max: 1, onnotice: () => {} })
const receiver = await startWebhookReceiver(() => ({ status: 204 }), { keepAliveTimeoutMs: 65_000 })
try {
  const account = await createVerifiedAccount(database.url, { instances: ['counted'] })
  const [instance] = await direct`select id from instances where user_id = ${account.userId}`
  const { createWebhookEndpoint } = await import('@/lib/services/webhooks/endpoints')
  await createWebhookEndpoint({ ctx: { userId: account.userId }, input: { url: receiver.url, events: ['MESSAGES_UPSERT'] } })
  const { log } = await import('@/lib/log')
  const { startWebhookDispatcher } = await import('@/workers/webhooks/dispatch')
  const dispatcher = await startWebhookDispatcher({ log })
  const { sqlClient, closeDatabase } = await import('@/lib/db')
  const { recordEvent } = await import('@/lib/store/events')
  const identity = { id: instance.id as string, userId: account.userId, name: 'counted' }

  await sqlClient().begin(async (tx) => {
    for (let i = 0; i < backlog; i++) await recordEvent(tx, identity, 'MESSAGES_UPSERT', { n: i, text: 'x'.repeat(200) })
  })
  const commitsOf = async () => Number((await direct`select xact_commit from pg_stat_database where datname = ${database.name}`)[0].xact_commit)
  await direct`select pg_stat_clear_snapshot()`
  const [statementsBefore, commitsBefore, cpuBefore, startedAt] = [proxy.counts.statements, await commitsOf(), process.cpuUsage(), performance.now()]
  await receiver.waitFor(backlog, 300_000)
  // Every outcome is written before its job completes: wait for the last one.
  for (;;) {
    const [{ n }] = await direct`select count(*)::int as n from webhook_deliveries where status = 'pending'`
    if (n === 0) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const seconds = (performance.now() - startedAt) / 1000
  const cpu = process.cpuUsage(cpuBefore)
  const statements = proxy.counts.statements - statementsBefore
  await new Promise((resolve) => setTimeout(resolve, 1000)) // pg_stat_database is updated asynchronously
  await direct`select pg_stat_clear_snapshot()`
  const commits = (await commitsOf()) - commitsBefore
  console.log(
    JSON.stringify({
      backlog,
      statementsPerDelivery: +(statements / backlog).toFixed(3),
      transactionsPerDelivery: +(commits / backlog).toFixed(3),
      processCpuMsPerDelivery: +((cpu.user + cpu.system) / 1000 / backlog).toFixed(3),
      deliveriesPerSecond: Math.round(backlog / seconds),
    }),
  )
  // Latency at rest: one event at a time, commit → arrival.
  const latencies: number[] = []
  for (let i = 0; i < 50; i++) {
    const before = receiver.received.length
    await sqlClient().begin((tx) => recordEvent(tx, identity, 'MESSAGES_UPSERT', { n: i }))
    const committedAt = Date.now()
    const [arrival] = (await receiver.waitFor(before + 1, 15_000)).slice(before)
    latencies.push(arrival.receivedAt - committedAt)
  }
  latencies.sort((a, b) => a - b)
  console.log(JSON.stringify({ idleLatencyMs: { p50: latencies[25], p90: latencies[45], max: latencies[49] } }))
  await dispatcher.stop()
  await closeDatabase()
} finally {
  await receiver.close()
  await direct.end()
  proxy.close()
  await database.drop()
}
process.exit(0)
