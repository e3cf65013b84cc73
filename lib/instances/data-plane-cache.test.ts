// The data plane's instance cache against a real Postgres: a hit needs no query, and every way an
// instance changes is seen promptly: a notified change at once (as soon as this process hears it),
// a deletion at once in the process that deleted it, anything unannounced within the TTL.
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'
import { createVerifiedAccount } from '@/test-support/accounts'
import { eventually } from '@/test-support/eventually'

const database = await useTestDatabase()
const { findDataPlaneInstance, listenForInstanceChanges } = await import('./data-plane-cache')
const { requestConnection } = await import('@/lib/store/instances')
const { deleteInstance } = await import('@/lib/services/instances/instances')
const { subscribe, notify } = await import('@/lib/bus/listener')
const { CHANNELS } = await import('@/lib/bus/channels')

const sql = postgres(database.url, { max: 1, onnotice: () => {} })
afterAll(() => sql.end())
await listenForInstanceChanges()

/** Resolves once this process has heard `payload` on `channel`: the cache subscribed first, so it has heard it too. */
async function heard(channel: string, payload: string, send: () => Promise<unknown>): Promise<void> {
  let resolve!: () => void
  const arrived = new Promise<void>((done) => (resolve = done))
  const unsubscribe = await subscribe(channel, (each) => each === payload && resolve())
  try {
    await send()
    await arrived
  } finally {
    unsubscribe()
  }
}

async function accountWith(name: string) {
  const account = await createVerifiedAccount(database.url, { instances: [name] })
  const [row] = await sql<{ id: string }[]>`select id from instances where user_id = ${account.userId} and name = ${name}`
  return { userId: account.userId, instanceId: row.id }
}

describe('the data plane instance cache', () => {
  it('answers a repeat from memory, and an unannounced change within the TTL (0.9 s)', async () => {
    const { userId } = await accountWith('cache-ttl')
    expect(await findDataPlaneInstance(userId, 'cache-ttl')).toMatchObject({ name: 'cache-ttl', statusCode: 'idle', state: 'close' })
    await sql`update instances set status_code = 'stopped' where user_id = ${userId} and name = 'cache-ttl'`
    const changedAt = Date.now()
    // No notification: the remembered row answers until it expires.
    expect(await findDataPlaneInstance(userId, 'cache-ttl')).toMatchObject({ statusCode: 'idle' })
    await eventually(async () => ((await findDataPlaneInstance(userId, 'cache-ttl'))?.statusCode === 'stopped' ? true : undefined), 3000, 20)
    expect(Date.now() - changedAt).toBeLessThan(1500)
  })

  it('drops an instance as soon as its change notification arrives', async () => {
    const { userId, instanceId } = await accountWith('cache-notified')
    expect(await findDataPlaneInstance(userId, 'cache-notified')).toMatchObject({ statusCode: 'idle', state: 'close' })
    await heard(CHANNELS.instanceChanged, instanceId, () => requestConnection(instanceId))
    expect(await findDataPlaneInstance(userId, 'cache-notified')).toMatchObject({ statusCode: 'starting', state: 'connecting' })
  })

  it("drops an account's instances when an event of the account is recorded (a webhook is never newer than the data plane)", async () => {
    const { userId } = await accountWith('cache-event')
    expect(await findDataPlaneInstance(userId, 'cache-event')).toMatchObject({ statusCode: 'idle' })
    await sql`update instances set status_code = 'stopped' where user_id = ${userId} and name = 'cache-event'`
    await heard(CHANNELS.eventRecorded, userId, () => notify(CHANNELS.eventRecorded, userId))
    expect(await findDataPlaneInstance(userId, 'cache-event')).toMatchObject({ statusCode: 'stopped' })
  })

  it('forgets a deleted instance at once in the deleting process, and the name can be used again', async () => {
    const { userId, instanceId } = await accountWith('cache-deleted')
    expect(await findDataPlaneInstance(userId, 'cache-deleted')).toMatchObject({ id: instanceId })
    await deleteInstance({ ctx: { userId }, input: { name: 'cache-deleted' } })
    expect(await findDataPlaneInstance(userId, 'cache-deleted')).toBeUndefined()
    const [again] = await sql<{ id: string }[]>`insert into instances (user_id, name) values (${userId}, 'cache-deleted') returning id`
    expect(await findDataPlaneInstance(userId, 'cache-deleted')).toMatchObject({ id: again.id })
  })

  it("never answers with another account's instance of the same name", async () => {
    const owner = await accountWith('cache-shared-name')
    const other = await createVerifiedAccount(database.url, { instances: [] })
    expect(await findDataPlaneInstance(owner.userId, 'cache-shared-name')).toMatchObject({ id: owner.instanceId })
    expect(await findDataPlaneInstance(other.userId, 'cache-shared-name')).toBeUndefined()
  })
})
