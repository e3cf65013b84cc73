// Waiting for a row: a watch opened before the write never misses the change, and skips the read
// that could only see the row as written.
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'

const database = await useTestDatabase()
process.env.DATABASE_URL = database.url // before lib/db first connects
const { watchChannel, waitForRow } = await import('./wait')
const direct = postgres(database.url, { max: 1, onnotice: () => {} })
afterAll(() => direct.end())

const CHANNEL = 'sage_wait_test'
/** A row stand-in: its value, and how many times the waiter read it. */
function fakeRow(initial: string) {
  const row = { value: initial, reads: 0, readAt: [] as number[] }
  return { row, read: async () => (row.reads++, row.readAt.push(Date.now()), row.value) }
}

describe('watchChannel', () => {
  it('without a first read, reads only when notified, and answers with what it read', async () => {
    const watch = await watchChannel(CHANNEL)
    try {
      const { row, read } = fakeRow('accepted')
      const waiting = watch.waitForRow({ id: 'm1', read, accept: (value) => (value === 'sent' ? value : undefined), readFirst: false, timeoutMs: 10_000 })
      // Nothing read before a notification, though the wait has begun.
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(row.reads).toBe(0)
      row.value = 'sent'
      await direct`select pg_notify(${CHANNEL}, 'other-row')`
      await direct`select pg_notify(${CHANNEL}, 'm1')`
      await expect(waiting).resolves.toBe('sent')
      expect(row.reads).toBe(1)
    } finally {
      watch.close()
    }
  })

  it('reads at once when the notification came between the watch and the wait (before the id was known)', async () => {
    const watch = await watchChannel(CHANNEL)
    try {
      const { row, read } = fakeRow('sent')
      await direct`select pg_notify(${CHANNEL}, 'm2')`
      // The notification has reached this process once a later one on the same channel has.
      const marker = await watchChannel(CHANNEL)
      const heardMarker = marker.waitForRow({ id: 'marker', read: async () => 'x', accept: (value) => value, readFirst: false, timeoutMs: 10_000 })
      await direct`select pg_notify(${CHANNEL}, 'marker')`
      await heardMarker
      marker.close()
      const startedAt = Date.now()
      await expect(watch.waitForRow({ id: 'm2', read, accept: (value) => value, readFirst: false, timeoutMs: 10_000 })).resolves.toBe('sent')
      expect(Date.now() - startedAt).toBeLessThan(900) // not the 1 s re-read
      expect(row.reads).toBe(1)
    } finally {
      watch.close()
    }
  })

  it('re-reads every second when no notification comes (one can be missed), and gives up at the deadline', async () => {
    const watch = await watchChannel(CHANNEL)
    try {
      const { row, read } = fakeRow('accepted')
      const startedAt = Date.now()
      await expect(watch.waitForRow({ id: 'm3', read, accept: (value) => (value === 'sent' ? value : undefined), readFirst: false, timeoutMs: 2_500 })).resolves.toBeUndefined()
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(2_400)
      // At 1 s, 2 s and the deadline; none right away.
      expect(row.reads).toBe(3)
      expect(row.readAt[0] - startedAt).toBeGreaterThanOrEqual(950)
    } finally {
      watch.close()
    }
  })
})

describe('waitForRow', () => {
  it('reads first: a row already settled answers without any notification', async () => {
    const { row, read } = fakeRow('done')
    await expect(waitForRow({ channel: CHANNEL, id: 'c1', read, accept: (value) => value, timeoutMs: 5_000 })).resolves.toBe('done')
    expect(row.reads).toBe(1)
  })
})
