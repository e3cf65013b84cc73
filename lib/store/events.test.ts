// The event log's order against a real database: an event whose transaction commits late still gets a
// position after what a reader already saw (paging by insert order, `seq`, would skip it), and the purge.
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'
import { createVerifiedAccount } from '@/test-support/accounts'

const database = await useTestDatabase()
const { sqlClient } = await import('@/lib/db')
const { eventsAfter, purgeEventsOlderThan, recordEvent, recordEventAlone, sequenceCommitted } = await import('./events')

const sql = sqlClient()
const account = await createVerifiedAccount(database.url, { instances: ['log-order'] })
const [row] = await sql<{ id: string }[]>`select id from instances where user_id = ${account.userId}`
const instance = { id: row.id, userId: account.userId, name: 'log-order' }

async function readAfter(after: number) {
  await sequenceCommitted()
  return eventsAfter({ userId: account.userId, after, limit: 1000 })
}

describe('event log positions', () => {
  it('a transaction that recorded first but commits last is positioned after what readers already saw', async () => {
    let releaseSlow!: () => void
    const slowMayCommit = new Promise<void>((resolve) => (releaseSlow = resolve))
    let slowRecorded!: () => void
    const slowHasRecorded = new Promise<void>((resolve) => (slowRecorded = resolve))
    const slow = sql.begin(async (tx) => {
      await recordEvent(tx, instance, 'MESSAGES_UPSERT', { which: 'slow' })
      slowRecorded()
      await slowMayCommit
    })
    await slowHasRecorded
    await recordEventAlone(instance, 'MESSAGES_UPSERT', { which: 'fast' })

    const seen = await readAfter(0)
    expect(seen.map((event) => (event.data as { which: string }).which)).toEqual(['fast'])
    releaseSlow()
    await slow
    const bySeq = await sql`select data->>'which' as which from instance_events order by seq`
    expect(bySeq.map((event) => event.which)).toEqual(['slow', 'fast']) // the slow one was inserted first
    const next = await readAfter(seen.at(-1)!.position)
    expect(next.map((event) => (event.data as { which: string }).which)).toEqual(['slow'])
    expect(await readAfter(next.at(-1)!.position)).toEqual([])
  })

  it('purges events older than the retention, and only those', async () => {
    const old = await recordEventAlone(instance, 'CONNECTION_UPDATE', { state: 'close' })
    await sql`update instance_events set created_at = now() - interval '8 days' where id = ${old}`
    const fresh = await recordEventAlone(instance, 'CONNECTION_UPDATE', { state: 'open' })
    expect(await purgeEventsOlderThan(7)).toBe(1)
    const ids = (await sql`select id from instance_events`).map((event) => event.id)
    expect(ids).toContain(fresh)
    expect(ids).not.toContain(old)
  })
})
