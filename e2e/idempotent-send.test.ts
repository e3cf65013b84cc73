// Issue 14, "a send can go out twice": the web process loses its database connection after a send's
// outbox row committed but before it answered. The answer is 503 and the Idempotency-Key is
// released; a retry with the key must then find that send, not queue a second one.
//
// Deterministic, no timing: the worker is held before it accepts the send (a test trigger waits on
// an advisory lock this file holds), an ACCESS EXCLUSIVE request queued on `messages` holds the web
// process's next read of the row, and that blocked backend is terminated: exactly the connection
// loss the chaos test provoked at random.
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { eventually } from '@/test-support/eventually'
import { startStack } from './support/stack'
import { createVerifiedAccount } from '@/test-support/accounts'
import { startTestSimulator } from './support/simulator'
import { dataPlane } from '@/test-support/data-plane'
import { mintKey } from '@/test-support/cli'
import { pairInstance } from '@/test-support/pairing'

const database = await useTestDatabase()
const sim = await startTestSimulator()
const stack = await startStack({ databaseUrl: database.url, env: { ...sim.env, SEND_TIMEOUT_MS: '60000' } })
const sql = postgres(database.url, { max: 4, onnotice: () => {} })
afterAll(() => sql.end())

const account = await createVerifiedAccount(database.url, { instances: ['acme'] })
const api = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '10000'))
const OWN = '15551120000'
const ALICE = '919876500001'
await sim.client.createAccount(ALICE, 'Alice')
await pairInstance(api, sim, 'acme', OWN)

const HOLD = 914_001
await sql.unsafe(`
  create function test_hold_api_sends() returns trigger language plpgsql as $$
  begin perform pg_advisory_xact_lock_shared(${HOLD}); return new; end $$;
  create trigger test_hold_api_sends before update on messages for each row when (new.via_api) execute function test_hold_api_sends();`)

const sendText = (text: string, key: string) =>
  api('acme/message/sendText', { method: 'POST', body: JSON.stringify({ number: ALICE, text }), headers: { 'Idempotency-Key': key } })

const rowsWithText = (text: string) =>
  sql`select wa_id from messages where via_api and message->'extendedTextMessage'->>'text' = ${text}`

async function received(text: string) {
  const messages = await sim.client.messages(ALICE, { from: OWN })
  return messages.filter((message) => JSON.stringify(message.message).includes(`"${text}"`))
}

/**
 * Sends `text` under `key` and makes the web process lose the connection its read of the committed
 * row runs on. Returns that first answer and the row's WhatsApp id; the worker stays held (and the
 * row unsent) until release() is called.
 */
async function sendLosingTheConnection(text: string, key: string, options: { alsoLoseTheRelease?: boolean } = {}) {
  const holder = await sql.reserve()
  await holder`select pg_advisory_lock(${HOLD})`
  const locker = await sql.reserve()
  const keyLocker = await sql.reserve()
  try {
    const answer = sendText(text, key)
    const [row] = await eventually(async () => {
      const rows = await rowsWithText(text)
      return rows.length ? rows : undefined
    }, 30_000, 20)
    const [{ pid: lockerPid }] = await locker`select pg_backend_pid() as pid`
    await locker`begin`
    // Queued behind the held worker's UPDATE, it makes every later read of `messages` wait too.
    const locking = locker`lock table messages in access exclusive mode`.catch(() => undefined)
    const blocked = await eventually(async () => {
      const rows = await sql`
        select pid from pg_stat_activity
        where datname = ${database.name} and application_name = 'web' and wait_event_type = 'Lock' and query ilike '%from messages%'`
      return rows.length ? rows : undefined
    }, 30_000, 20)
    if (options.alsoLoseTheRelease) {
      // The 503's release of the key (a delete) then waits on this row lock and loses its connection too.
      await keyLocker`begin`
      await keyLocker`select 1 from idempotency_keys where key = ${key} for update`
    }
    for (const { pid } of blocked) await sql`select pg_terminate_backend(${pid})`
    if (options.alsoLoseTheRelease) {
      await eventually(async () => {
        const [release] = await sql`
          select pid from pg_stat_activity
          where datname = ${database.name} and application_name = 'web' and wait_event_type = 'Lock' and query ilike '%delete from idempotency_keys%'`
        return release ? sql`select pg_terminate_backend(${release.pid})` : undefined
      }, 30_000, 20)
    }
    const first = await answer
    if (options.alsoLoseTheRelease) await keyLocker`rollback`
    await sql`select pg_cancel_backend(${lockerPid})`
    await locking
    await locker`rollback`
    return {
      first,
      waId: row.wa_id as string,
      release: async () => {
        await holder`select pg_advisory_unlock(${HOLD})`
        holder.release()
      },
    }
  } catch (error) {
    await holder`select pg_advisory_unlock_all()`.catch(() => {})
    holder.release()
    throw error
  } finally {
    locker.release()
    keyLocker.release()
  }
}

describe('a send whose web request lost its database connection after the outbox row committed', { timeout: 120_000 }, () => {
  it('answers 503; a retry with the same key answers with that message and nothing is sent twice', async () => {
    const text = `once after a lost connection ${Date.now()}`
    const key = `lost-${Date.now()}`
    const lost = await sendLosingTheConnection(text, key)
    expect(lost.first.status).toBe(503)
    expect(lost.first.body.error).toBe('unavailable')
    await lost.release()

    const retry = await sendText(text, key)
    expect(retry.status).toBe(201)
    expect(retry.body.key.id).toBe(lost.waId)
    await eventually(async () => ((await received(text)).length ? true : undefined), 30_000)
    expect((await rowsWithText(text)).length).toBe(1)
    // The row is the only send; had a second gone out it would have reached Alice by now too.
    await eventually(async () => ((await sql`select 1 from messages where wa_id = ${lost.waId} and status <> 'PENDING'`).length ? true : undefined), 15_000)
    expect((await received(text)).map((message) => message.id)).toEqual([lost.waId])
  })

  it('the same key with another body is 409 idempotency_conflict, and sends nothing', async () => {
    const text = `keyed then changed ${Date.now()}`
    const other = `${text} (changed)`
    const key = `changed-${Date.now()}`
    const lost = await sendLosingTheConnection(text, key)
    expect(lost.first.status).toBe(503)
    try {
      const conflict = await sendText(other, key)
      expect(conflict.status).toBe(409)
      expect(conflict.body.error).toBe('idempotency_conflict')
    } finally {
      await lost.release()
    }
    const retry = await sendText(text, key)
    expect(retry.status).toBe(201)
    expect(retry.body.key.id).toBe(lost.waId)
    expect((await rowsWithText(other)).length).toBe(0)
    expect((await rowsWithText(text)).length).toBe(1)
  })

  it('also when releasing the key failed: the retry takes the abandoned key over and finds the same send', async () => {
    const text = `once after a lost release ${Date.now()}`
    const key = `lost-release-${Date.now()}`
    const lost = await sendLosingTheConnection(text, key, { alsoLoseTheRelease: true })
    expect(lost.first.status).toBe(503)
    await lost.release()
    const [record] = await sql`select response_status from idempotency_keys where key = ${key}`
    expect(record.response_status).toBeNull() // still claimed: its holder went silent

    const retry = await sendText(text, key) // waits until the claim is stale (10 s without a heartbeat)
    expect(retry.status).toBe(201)
    expect(retry.body.key.id).toBe(lost.waId)
    expect((await rowsWithText(text)).length).toBe(1)
  })
})
