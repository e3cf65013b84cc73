// A message Baileys hands the worker is never lost: it is stored before WhatsApp (the simulator) is
// told, so a worker killed in between, or a database that is gone for a while, leaves it with
// WhatsApp, which delivers it again (simulator/README.md, "Redelivery"; workers/whatsapp/store-before-ack.ts).
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
import { withDatabase } from '@/test-support/database'

const database = await useTestDatabase()
const sim = await startTestSimulator()
const stack = await startStack({ databaseUrl: database.url, env: sim.env })
// One connection, opened now: the test keeps reading through it while the database refuses new ones.
const sql = postgres(database.url, { max: 1, onnotice: () => {} })
await sql`select 1`
// A database's connection rule is changed from another one.
const admin = postgres(withDatabase(database.url, 'postgres'), { max: 1, onnotice: () => {} })
afterAll(() => Promise.all([sql.end(), admin.end()]))

const account = await createVerifiedAccount(database.url, { instances: ['inbound'] })
const api = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '10000'))
const OWN = '15552220000'
const ALICE = '15552220001'
await sim.client.createAccount(ALICE, 'Alice')
await pairInstance(api, sim, 'inbound', OWN)

/** Stanzas the simulator sent to the instance's device and still keeps for its next login. */
async function unclearedByInstance(): Promise<string[]> {
  const account = await sim.client.account(OWN)
  return account.companions.flatMap((companion) => companion.unacked)
}

async function storedCopies(waId: string) {
  const [{ rows }] = await sql`select count(*)::int as rows from messages where wa_id = ${waId} and not from_me`
  const [{ events }] = await sql`select count(*)::int as events from instance_events where event = 'MESSAGES_UPSERT' and data->'key'->>'id' = ${waId}`
  return { rows, events }
}

const liveWorker = () => stack.workers.filter((worker) => worker.exitCode === null && worker.signalCode === null).at(-1)!
const instanceOnline = async () => (await sim.client.sessions()).some((session) => session.phone === OWN && session.state === 'online')

describe('a worker killed between receiving a message and storing it', () => {
  it('stores the message WhatsApp delivers again after the restart, with its content, and announces it once', async () => {
    // Hold the store: inserts into messages wait behind this lock, reads do not.
    const holder = postgres(database.url, { max: 1, onnotice: () => {} })
    let release!: () => void
    const released = new Promise<void>((resolve) => (release = resolve))
    let locked!: () => void
    const lockTaken = new Promise<void>((resolve) => (locked = resolve))
    const holding = holder.begin(async (tx) => {
      await tx`lock table messages in exclusive mode`
      locked()
      await released
    })
    await lockTaken

    const { id } = await sim.client.send(ALICE, { to: OWN, text: 'between receive and store' })
    // The worker decrypted it and is storing it, blocked by the lock…
    await eventually(async () => {
      const [waiting] = await sql`select 1 from pg_stat_activity where wait_event_type = 'Lock' and query ilike '%insert into messages%' and pid <> pg_backend_pid()`
      return waiting
    }, 15_000, 50)
    // …and WhatsApp has not been told it arrived.
    expect(await unclearedByInstance()).toContain(`message:${id}`)

    const worker = liveWorker()
    worker.kill('SIGKILL')
    await new Promise((resolve) => worker.once('exit', resolve))
    release()
    await holding
    await holder.end()
    expect(await storedCopies(id)).toEqual({ rows: 0, events: 0 })

    // The next worker takes the instance over; the simulator delivers the message again at login.
    stack.startWorker()
    const [row] = await eventually(async () => {
      const rows = await sql`select message from messages where wa_id = ${id}`
      return rows.length ? rows : undefined
    }, 60_000, 200)
    expect(JSON.stringify(row.message)).toContain('between receive and store')
    // Cleared by the new worker's receipt, after the row existed.
    await eventually(async () => ((await unclearedByInstance()).includes(`message:${id}`) ? undefined : true), 15_000)
    expect(await storedCopies(id)).toEqual({ rows: 1, events: 1 })
  }, 120_000)
})

describe('the database unreachable during a stream of incoming messages and receipts', () => {
  it('loses none, stores none twice, and applies every receipt', async () => {
    await eventually(async () => (await instanceOnline()) || undefined, 60_000, 200)
    // Receipts for the instance's sends come when the test says, during the outage.
    await sim.client.setReceiptTiming({ phone: ALICE, deliveryMs: null, readMs: null })
    const sent: string[] = []
    for (let i = 0; i < 5; i++) {
      const response = await api('inbound/message/sendText', { method: 'POST', body: JSON.stringify({ number: ALICE, text: `outgoing ${i}` }) })
      expect(response.status, JSON.stringify(response.body)).toBe(201)
      sent.push(response.body.key.id)
    }

    const incoming: { id: string; text: string }[] = []
    const sendIncoming = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const text = `incoming ${incoming.length}`
        const { id } = await sim.client.send(ALICE, { to: OWN, text })
        incoming.push({ id, text })
      }
    }
    await sendIncoming(5)

    // The outage: no new connections, and the web's and the worker's cut.
    await admin.unsafe(`alter database "${database.name}" allow_connections false`)
    try {
      await admin`
        select pg_terminate_backend(pid) from pg_stat_activity
        where datname = ${database.name} and application_name in ('web', 'worker')`
      await sendIncoming(10)
      await sim.client.sendReceipt(ALICE, OWN, sent, 'delivery')
      await sim.client.sendReceipt(ALICE, OWN, sent, 'read')
      // The worker cannot store them: it stops taking messages (closes its socket, no logout)…
      await eventually(async () => ((await instanceOnline()) ? undefined : true), 30_000, 100)
      // …and what arrives meanwhile waits with WhatsApp.
      await sendIncoming(5)
    } finally {
      await admin.unsafe(`alter database "${database.name}" allow_connections true`)
    }

    await eventually(async () => (await instanceOnline()) || undefined, 60_000, 200)
    for (const { id, text } of incoming) {
      const copies = await eventually(async () => {
        const found = await storedCopies(id)
        return found.rows > 0 ? found : undefined
      }, 60_000, 200)
      expect(copies, text).toEqual({ rows: 1, events: 1 })
      const [row] = await sql`select message from messages where wa_id = ${id}`
      expect(JSON.stringify(row.message), id).toContain(text)
    }
    await eventually(async () => {
      const rows = await sql`select wa_id, status from messages where wa_id = any(${sent})`
      return rows.length === sent.length && rows.every((row) => row.status === 'READ') ? rows : undefined
    }, 30_000, 200)
    await eventually(async () => ((await unclearedByInstance()).length === 0 ? true : undefined), 15_000)
  }, 180_000)
})
