// writeKeys writes a whole batch of keys (upserts and deletions) in one statement, and only for
// the worker holding the instance: a worker without the lease writes nothing at all.
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'
import { createVerifiedAccount } from '@/test-support/accounts'

const database = await useTestDatabase()
const { sqlClient } = await import('@/lib/db')
const { claimLeases, LeaseLostError } = await import('./instances')
const { registerWorker } = await import('./workers')
const { readKeys, writeKeys } = await import('./whatsapp-auth')

const sql = sqlClient()
const account = await createVerifiedAccount(database.url, { instances: ['keys'] })
const [instance] = await sql<{ id: string }[]>`select id from instances where user_id = ${account.userId}`
await sql`update instances set desired_state = 'connected' where id = ${instance.id}`
await registerWorker({ id: 'keys-holder', capacity: 10, version: 'test' })
const claimed = await claimLeases('keys-holder', 10)
if (!claimed.some((each) => each.id === instance.id)) throw new Error('the test worker did not get the lease')

const bytes = (text: string) => Buffer.from(text)
const stored = async (category: string) =>
  Object.fromEntries((await readKeys(instance.id, category, ['a', 'b', 'c'])).map(({ keyId, sealed }) => [keyId, sealed.toString()]))

describe('writeKeys', () => {
  it('upserts and deletes a batch; a key named twice keeps its last value', async () => {
    await writeKeys(instance.id, 'keys-holder', [
      { category: 'session', keyId: 'a', sealed: bytes('a1') },
      { category: 'session', keyId: 'b', sealed: bytes('b1') },
      { category: 'session', keyId: 'c', sealed: bytes('c1') },
      { category: 'session', keyId: 'a', sealed: bytes('a2') },
    ])
    expect(await stored('session')).toEqual({ a: 'a2', b: 'b1', c: 'c1' })

    await writeKeys(instance.id, 'keys-holder', [
      { category: 'session', keyId: 'b', sealed: null },
      { category: 'session', keyId: 'c', sealed: bytes('c2') },
      { category: 'session', keyId: 'a', sealed: bytes('a3') },
      { category: 'session', keyId: 'a', sealed: null },
    ])
    expect(await stored('session')).toEqual({ c: 'c2' })
  })

  it('a worker without the lease writes and deletes nothing', async () => {
    await writeKeys(instance.id, 'keys-holder', [{ category: 'pre-key', keyId: 'a', sealed: bytes('kept') }])
    await expect(
      writeKeys(instance.id, 'not-the-holder', [
        { category: 'pre-key', keyId: 'a', sealed: null },
        { category: 'pre-key', keyId: 'b', sealed: bytes('stolen') },
      ]),
    ).rejects.toBeInstanceOf(LeaseLostError)
    expect(await stored('pre-key')).toEqual({ a: 'kept' })
  })
})
