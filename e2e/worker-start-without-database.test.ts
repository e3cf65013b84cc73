// A worker started while its database is away waits for it (with backoff) instead of crashing, and
// once the database is back it registers, beats, LISTENs for work and delivers webhooks.
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { eventually } from '@/test-support/eventually'
import { startDatabaseProxy } from '@/test-support/database-proxy'
import { testEnvironment } from '@/test-support/stack'
import { spawnWorker, stopChild } from '@/lib/runtime/processes'

const database = await useTestDatabase()
const sql = postgres(database.url, { max: 1, onnotice: () => {} })
const proxy = await startDatabaseProxy(database.url, { startDown: true })
afterAll(async () => {
  await sql.end()
  await proxy.close()
})

describe('a worker started before its database is reachable', () => {
  it('stays up while the database is away and starts working once it is back', async () => {
    const worker = spawnWorker(testEnvironment(proxy.url), 'pipe')
    let output = ''
    worker.stdout!.on('data', (chunk) => (output += chunk))
    worker.stderr!.on('data', (chunk) => (output += chunk))
    let exited: number | null | undefined
    worker.once('exit', (code) => (exited = code))
    try {
      // It keeps retrying (each retry is logged) and does not exit.
      await eventually(async () => ((output.match(/database not reachable at start-up/g) ?? []).length >= 3 ? true : undefined), 30_000)
      expect(exited, output.slice(-2000)).toBeUndefined()

      proxy.up()
      const [registered] = await eventually(async () => {
        const rows = await sql`select id from workers where heartbeat_at > now() - interval '5 seconds'`
        return rows.length ? rows : undefined
      }, 30_000)
      expect(registered.id).toBeTruthy()
      // Its wake-up channel and its webhook queue are connected too.
      await eventually(async () => ((await sql`select 1 from pg_stat_activity where datname = ${database.name} and query ilike 'listen%sage_work%'`).length ? true : undefined), 15_000)
      await eventually(async () => ((await sql`select 1 from pg_stat_activity where datname = ${database.name} and application_name = 'worker-queue'`).length ? true : undefined), 15_000)
      expect(exited).toBeUndefined()
    } finally {
      await stopChild(worker)
    }
  }, 90_000)
})
