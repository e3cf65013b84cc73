// Usage counting against a real Postgres: a burst of answered calls is counted in memory, written
// by one flush, added up across flushes (and processes), and read back per key, per instance and
// per account, each account seeing only its own.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'
import { createVerifiedAccount } from '@/test-support/accounts'

const database = await useTestDatabase()
const { sqlClient } = await import('@/lib/db')
const { countRequest, flushUsage, metricOf } = await import('./counter')
const { accountUsage, usageOf, addUsageCounts } = await import('@/lib/store/usage')

const sql = sqlClient()
const HOUR = new Date('2026-11-30T05:00:00Z')
const since = new Date(HOUR.getTime() - 86_400_000)

function totals(rows: { metric: string; count: number }[]): Record<string, number> {
  const sums: Record<string, number> = {}
  for (const row of rows) sums[row.metric] = (sums[row.metric] ?? 0) + row.count
  return sums
}

describe('usage counting', () => {
  it('names each answer by its status: 429 rate limited, then the status class', () => {
    expect([200, 201, 304, 400, 403, 404, 429, 500, 503].map(metricOf)).toEqual([
      'requests_2xx', 'requests_2xx', 'requests_2xx', 'requests_4xx', 'requests_4xx', 'requests_4xx', 'rate_limited', 'requests_5xx', 'requests_5xx',
    ])
  })

  it('a burst is one row per key, hour and metric, written by one flush, and adds up across flushes', async () => {
    const account = await createVerifiedAccount(database.url, { instances: ['usage-one'] })
    const [instance] = await sql<{ id: string }[]>`select id from instances where user_id = ${account.userId}`
    const keyId = randomUUID()
    const caller = { userId: account.userId, keyId, instanceId: instance.id }
    for (let index = 0; index < 50; index++) countRequest(caller, 201, new Date(HOUR.getTime() + index * 1000))
    for (let index = 0; index < 7; index++) countRequest(caller, 429, new Date(HOUR.getTime() + 60_000))
    countRequest({ userId: account.userId, keyId }, 401, new Date(HOUR.getTime() + 3_600_000)) // the next hour, no instance
    // Nothing is written per request.
    expect(await sql`select 1 from usage_hourly where user_id = ${account.userId}`).toHaveLength(0)
    await flushUsage()
    expect(await sql`select 1 from usage_hourly where user_id = ${account.userId}`).toHaveLength(5)

    expect(totals(await usageOf(account.userId, { kind: 'key', id: keyId }, since))).toEqual({ requests_2xx: 50, rate_limited: 7, requests_4xx: 1 })
    expect(totals(await usageOf(account.userId, { kind: 'instance', id: instance.id }, since))).toEqual({ requests_2xx: 50, rate_limited: 7 })

    // A second flush (or another web process) adds to the same rows.
    countRequest(caller, 200, new Date(HOUR.getTime() + 5_000))
    await flushUsage()
    await addUsageCounts([{ userId: account.userId, subjectKind: 'key', subjectId: keyId, hour: HOUR, metric: 'requests_2xx', count: 10 }])
    const byHour = await usageOf(account.userId, { kind: 'key', id: keyId }, since)
    expect(byHour.find((row) => row.metric === 'requests_2xx')).toEqual({ hour: HOUR, metric: 'requests_2xx', count: 61 })
    expect(totals(await accountUsage(account.userId, since))).toEqual({ requests_2xx: 61, rate_limited: 7, requests_4xx: 1 })
  })

  it('reads only the asking account’s counts', async () => {
    const owner = await createVerifiedAccount(database.url, { instances: [] })
    const other = await createVerifiedAccount(database.url, { instances: [] })
    const keyId = randomUUID()
    countRequest({ userId: owner.userId, keyId }, 200, HOUR)
    await flushUsage()
    expect(await usageOf(other.userId, { kind: 'key', id: keyId }, since)).toEqual([])
    expect(await accountUsage(other.userId, since)).toEqual([])
    expect(totals(await accountUsage(owner.userId, since))).toEqual({ requests_2xx: 1 })
  })
})
