// How many Postgres connections two web processes and two workers really hold, counted in
// pg_stat_activity after a burst of concurrent requests, against the README's formula:
// per web DATABASE_POOL_SIZE + 1 (LISTEN), per worker DATABASE_POOL_SIZE + 1 + min(WEBHOOK_CONCURRENCY, 10) + 2.
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_POOL_SIZE, DEFAULT_WEBHOOK_CONCURRENCY } from '@/lib/config'
import { freePort } from '@/lib/runtime/embedded-postgres'
import { spawnWeb, stopChild, waitForHttp } from '@/lib/runtime/processes'
import { runCli } from '@/test-support/cli'
import { createVerifiedAccount } from '@/test-support/accounts'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'

const perWeb = DEFAULT_POOL_SIZE.web + 1
const perWorker = DEFAULT_POOL_SIZE.worker + 1 + Math.min(DEFAULT_WEBHOOK_CONCURRENCY, 10) + 2
const formula = 2 * perWeb + 2 * perWorker

const database = await useTestDatabase()
const stack = await startStack({ databaseUrl: database.url, workers: 2 })
const port = await freePort()
const secondWeb = spawnWeb(stack.env, port, 'pipe')
afterAll(() => stopChild(secondWeb))
await waitForHttp(`http://127.0.0.1:${port}/api/v1/status`, 60_000)
const bases = [stack.baseUrl, `http://127.0.0.1:${port}`]

const alice = await createVerifiedAccount(database.url, { instances: ['acme'] })
const key = runCli({ ...stack.env, LOG_LEVEL: 'warn' }, 'key:create', '--email', alice.email, '--rate-limit', '100000').lastLine
const sql = postgres(database.url, { max: 1, onnotice: () => {}, connection: { application_name: 'connections-test' } })
afterAll(() => sql.end())

async function connectionsByService() {
  const rows = await sql`
    select coalesce(nullif(application_name, ''), '(unnamed)') as service, count(*)::int as count
    from pg_stat_activity where datname = current_database() and application_name <> 'connections-test'
    group by 1 order by 1`
  return Object.fromEntries(rows.map((row) => [row.service as string, Number(row.count)]))
}

describe('connections of 2 web processes and 2 workers with the default pools', () => {
  it(`stay within the formula (${formula}), well under Postgres' default 100`, { timeout: 120_000 }, async () => {
    // Concurrent requests, so that each web process's pool opens more than one connection.
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        bases.flatMap((base) =>
          Array.from({ length: 40 }, () => fetch(`${base}/api/v1/instance/acme/connectionState`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.arrayBuffer())),
        ),
      )
    }
    // The pools close nothing they opened (postgres.js keeps idle connections), so this is the high-water mark.
    const counts = await connectionsByService()
    console.log(`connections held (formula ${formula}):`, JSON.stringify(counts))
    const total = Object.values(counts).reduce((sum, count) => sum + count, 0)
    expect(counts.web).toBeGreaterThan(2)
    expect(counts.web).toBeLessThanOrEqual(2 * perWeb)
    expect(counts.worker ?? 0).toBeLessThanOrEqual(2 * (DEFAULT_POOL_SIZE.worker + 1))
    expect(total).toBeLessThanOrEqual(formula)
    expect(formula).toBeLessThanOrEqual(60)
  })
})
