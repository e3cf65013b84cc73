// Leases against a real database: the worker row is the lease (one statement renews everything a
// worker holds), a lapsed lease is never renewed and its writes are refused, the dead owner is fenced
// before its instances move, a dead worker's instances spread evenly over the live ones, and the data
// plane never calls a dead worker's instance open.
// A lapse is made by moving the heartbeat back past the TTL: the state a frozen process wakes up to.
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'
import { createVerifiedAccount } from '@/test-support/accounts'
import { eventually } from '@/test-support/eventually'

const database = await useTestDatabase()
const { sqlClient } = await import('@/lib/db')
const { applyChange, assertLeaseHeld, claimLeases, fenceDeadWorkers, findByName, findForDataPlane, listForAccount, renewLease, LeaseLostError } = await import('./instances')
const { markWorkerStopped } = await import('./workers')
const { registerWorker, WORKER_HEARTBEAT_TTL_SECONDS } = await import('./workers')

const sql = sqlClient()
const names = Array.from({ length: 10 }, (_, index) => `lease-${index}`)
const account = await createVerifiedAccount(database.url, { instances: names })
const instances = await sql<{ id: string; name: string }[]>`select id, name from instances where user_id = ${account.userId} order by name`
const identity = (row: { id: string; name: string }) => ({ id: row.id, userId: account.userId, name: row.name })

let workers = 0
async function newWorker(): Promise<string> {
  const id = `lease-test-${process.pid}-${++workers}`
  await registerWorker({ id, capacity: 100, version: 'test' })
  return id
}

/** What a process frozen past the TTL finds: its heartbeat too old. */
async function freeze(workerId: string) {
  await sql`update workers set heartbeat_at = now() - make_interval(secs => ${WORKER_HEARTBEAT_TTL_SECONDS + 1}) where id = ${workerId}`
}

/** Every earlier worker stopped, every instance unowned and wanting a socket. */
async function reset() {
  await sql`update workers set stopped_at = now() where stopped_at is null`
  await sql`update instances set desired_state = 'connected', worker_id = null where user_id = ${account.userId}`
}

/** Until some statement of this database waits on a row lock (the one the test means to block). */
async function untilBlocked() {
  await eventually(async () => {
    const [row] = await sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`
    return row.n > 0 ? true : undefined
  }, 10_000, 20)
}

async function owners(): Promise<Map<string, number>> {
  const rows = await sql<{ worker_id: string | null }[]>`select worker_id from instances where user_id = ${account.userId}`
  const counts = new Map<string, number>()
  for (const row of rows) counts.set(row.worker_id ?? 'none', (counts.get(row.worker_id ?? 'none') ?? 0) + 1)
  return counts
}

describe('worker leases', () => {
  it('one statement renews every instance a worker holds and writes only the worker row', async () => {
    await reset()
    const a = await newWorker()
    expect(await claimLeases(a, 100)).toHaveLength(10)
    await sql`update instances set desired_state = 'disconnected' where id = ${instances[0].id}`
    // A row's xmin changes with every update of it: none may change.
    const versions = async () => (await sql`select id, xmin::text from instances where user_id = ${account.userId} order by id`).map((row) => `${row.id}:${row.xmin}`)
    const before = await versions()
    const renewal = await renewLease(a)
    expect(renewal?.connected.sort()).toEqual(instances.slice(1).map((row) => row.id).sort())
    expect(renewal?.disconnected).toEqual([instances[0].id])
    expect(renewal?.claimable).toBe(false)
    expect(await versions()).toEqual(before)
  })

  it('a lapsed lease is never renewed, and its writes are refused before anyone claims', async () => {
    await reset()
    const a = await newWorker()
    await claimLeases(a, 100)
    await applyChange(identity(instances[1]), a, { statusReason: 'still ours' })
    await freeze(a)
    await expect(applyChange(identity(instances[1]), a, { statusReason: 'stale write' })).rejects.toBeInstanceOf(LeaseLostError)
    await expect(sql.begin((tx) => assertLeaseHeld(tx, instances[1].id, a))).rejects.toBeInstanceOf(LeaseLostError)
    expect(await renewLease(a)).toBeUndefined()
    const [row] = await sql`select heartbeat_at < now() - make_interval(secs => ${WORKER_HEARTBEAT_TTL_SECONDS}) as lapsed from workers where id = ${a}`
    expect(row.lapsed).toBe(true)
    const [instance] = await sql`select status_reason from instances where id = ${instances[1].id}`
    expect(instance.status_reason).toBe('still ours')
  })

  it('fencing marks the dead owner stopped and frees its instances, so it stays out even if its heartbeat were fresh again', async () => {
    await reset()
    const a = await newWorker()
    await claimLeases(a, 100)
    await freeze(a)
    const b = await newWorker()
    expect((await renewLease(b))?.claimable).toBe(true)
    expect(await fenceDeadWorkers()).toBe(10)
    expect(await claimLeases(b, 100)).toHaveLength(10)
    const [dead] = await sql`select stopped_at from workers where id = ${a}`
    expect(dead.stopped_at).not.toBeNull()
    // Even a heartbeat written behind the protocol's back does not make it live again.
    await sql`update workers set heartbeat_at = now() where id = ${a}`
    expect(await renewLease(a)).toBeUndefined()
    await expect(applyChange(identity(instances[2]), a, { statusReason: 'stale write' })).rejects.toBeInstanceOf(LeaseLostError)
    expect((await renewLease(b))?.connected).toHaveLength(10)
  })

  it('a renewal that commits while fencing waits on the owner row wins: nothing is freed or claimed', async () => {
    await reset()
    const a = await newWorker()
    await claimLeases(a, 100)
    await freeze(a)
    const b = await newWorker()
    // A renewal in flight (the owner woke up just in time) holds the owner's row while B claims.
    const conn = await sql.reserve()
    await conn`begin`
    await conn`update workers set heartbeat_at = now() where id = ${a}`
    const fencing = fenceDeadWorkers()
    await untilBlocked()
    await conn`commit`
    conn.release()
    expect(await fencing).toBe(0)
    expect(await claimLeases(b, 100)).toHaveLength(0)
    expect(await owners()).toEqual(new Map([[a, 10]]))
  })

  it('a renewal that waits on a claimer fencing its owner row finds itself stopped', async () => {
    await reset()
    const a = await newWorker()
    await claimLeases(a, 100)
    // What fencing does to a dead owner, held open while the owner tries to renew.
    const conn = await sql.reserve()
    await conn`begin`
    await conn`update workers set stopped_at = now() where id = ${a}`
    const renewing = renewLease(a)
    await untilBlocked()
    await conn`commit`
    conn.release()
    expect(await renewing).toBeUndefined()
  })

  it('a dead worker’s instances spread evenly over the live workers, each up to its room', async () => {
    await reset()
    const a = await newWorker()
    await claimLeases(a, 100)
    await freeze(a)
    const [b, c] = [await newWorker(), await newWorker()]
    expect((await renewLease(b))?.claimable).toBe(true)
    await fenceDeadWorkers()
    // Two live workers: each is brought to half of the 10, never past its room.
    expect(await claimLeases(b, 100)).toHaveLength(5)
    expect(await claimLeases(c, 2)).toHaveLength(2)
    expect(await claimLeases(c, 100)).toHaveLength(3)
    expect(await claimLeases(b, 100)).toHaveLength(0)
    expect(await owners()).toEqual(new Map([[b, 5], [c, 5]]))
    expect((await renewLease(c))?.claimable).toBe(false)
  })

  it('a clean stop leaves nothing held by a stopped worker; one that could not release stays unstopped until fenced', async () => {
    await reset()
    const a = await newWorker()
    await claimLeases(a, 100)
    await markWorkerStopped(a) // its release did not get through
    const [row] = await sql`select stopped_at from workers where id = ${a}`
    expect(row.stopped_at).toBeNull()
    await freeze(a)
    expect(await fenceDeadWorkers()).toBe(10)
    expect(await owners()).toEqual(new Map([['none', 10]]))
  })

  it('the data plane, the instance list and the instance detail report an open instance whose owner stopped beating as connecting, until a live worker holds it', async () => {
    await reset()
    const [instance] = instances
    // Every read the account is shown: the data plane's, the dashboard list's and the platform API's.
    const shownStates = async () =>
      [
        await findForDataPlane(account.userId, instance.name),
        (await listForAccount(account.userId)).find((row) => row.id === instance.id),
        await findByName(account.userId, instance.name),
      ].map((row) => `${row?.state} ${row?.statusCode}`)
    const a = await newWorker()
    await claimLeases(a, 100)
    await sql`update instances set state = 'open', status_code = 'open' where id = ${instance.id}`
    expect(await shownStates()).toEqual(Array(3).fill('open open'))
    await freeze(a)
    expect(await shownStates()).toEqual(Array(3).fill('connecting reconnecting'))
    // Fenced (stopped, its instances freed) but not yet claimed: still connecting, never open or close.
    await fenceDeadWorkers()
    expect(await shownStates()).toEqual(Array(3).fill('connecting reconnecting'))
    const b = await newWorker()
    await claimLeases(b, 100)
    // The claim itself turns the row connecting; the new owner's socket writes open when it is.
    const claimed = await findForDataPlane(account.userId, instance.name)
    expect(claimed).toMatchObject({ state: 'connecting', statusCode: 'reconnecting' })
  })
})
