// A send cancelled by its timed-out web request (`cancelUnstarted`) and the worker starting it
// (`markSendStarted`) race on one row: exactly one of them may win, never both, whatever the order.
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'
import { createVerifiedAccount } from '@/test-support/accounts'

const database = await useTestDatabase()
const { sqlClient } = await import('@/lib/db')
const { cancelUnstarted, insertOutgoing, markSendStarted, readOutgoing } = await import('./index')

const sql = sqlClient()
const account = await createVerifiedAccount(database.url, { instances: ['race'] })
const [row] = await sql<{ id: string }[]>`select id from instances where user_id = ${account.userId}`
const instance = { id: row.id, userId: account.userId, name: 'race' }

let counter = 0
async function pendingSend(): Promise<string> {
  const waId = `3EB0RACE${String(++counter).padStart(10, '0')}`
  const id = await insertOutgoing({ instance, waId, remoteJid: '15550001111@s.whatsapp.net', preview: { conversation: 'hi' }, content: { kind: 'text', text: 'hi' }, sendAfter: null })
  return id!
}

/** Both at once on one row; how many won. */
async function race(id: string): Promise<{ cancelled: boolean; started: boolean }> {
  const [cancelled, started] = await Promise.all([cancelUnstarted(id, 'gave up'), markSendStarted(id)])
  return { cancelled: Boolean(cancelled), started }
}

describe('cancel and start of one send', () => {
  it('both blocked on the row, then released together: exactly one wins, and the row says which', async () => {
    for (let round = 0; round < 10; round++) {
      const id = await pendingSend()
      let release!: () => void
      const released = new Promise<void>((resolve) => (release = resolve))
      let locked!: () => void
      const isLocked = new Promise<void>((resolve) => (locked = resolve))
      // Another transaction holds the row, so both statements queue on it and run back to back.
      const holder = sql.begin(async (tx) => {
        await tx`select id from messages where id = ${id} for update`
        locked()
        await released
      })
      await isLocked
      const racing = race(id)
      release()
      await holder
      const outcome = await racing
      expect(Number(outcome.cancelled) + Number(outcome.started)).toBe(1)
      const message = await readOutgoing(id)
      if (outcome.started) {
        expect(message.status).toBe('PENDING')
        expect(message.sendStartedAt).not.toBeNull()
      } else {
        expect(message.status).toBe('ERROR')
        expect(message.sendStartedAt).toBeNull()
      }
    }
  })

  it('fifty rows raced in parallel: never both, and each loser leaves the row as the winner wrote it', async () => {
    const ids = await Promise.all(Array.from({ length: 50 }, () => pendingSend()))
    const outcomes = await Promise.all(ids.map(race))
    for (const outcome of outcomes) expect(Number(outcome.cancelled) + Number(outcome.started)).toBe(1)
    const [{ both }] = await sql`select count(*)::int as both from messages where id = any(${ids}) and status = 'ERROR' and send_started_at is not null`
    expect(both).toBe(0)
  })

  it('one after the other: a start after a cancel is refused, a cancel after a start too', async () => {
    const first = await pendingSend()
    expect(await cancelUnstarted(first, 'gave up')).toBeDefined()
    expect(await markSendStarted(first)).toBe(false)
    const second = await pendingSend()
    expect(await markSendStarted(second)).toBe(true)
    expect(await cancelUnstarted(second, 'gave up')).toBeUndefined()
    expect(await markSendStarted(second)).toBe(true) // a resend of a started row by the next owner
  })
})
