// History sync and offline messages end to end: the simulated phone pushes its chats to a newly
// paired instance (inline bootstrap, RECENT/FULL blobs on the media host; simulator/README.md,
// "History sync") → the real Baileys in the worker → stored as history, announced only as
// MESSAGES_SET / CHATS_SET / CONTACTS_SET; and messages sent while the instance was down arrive once
// each, in order, when it is back.
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { eventually } from '@/test-support/eventually'
import { startStack } from './support/stack'
import { createVerifiedAccount } from '@/test-support/accounts'
import { startTestSimulator } from './support/simulator'
import { dataPlane } from '@/test-support/data-plane'
import { mintKey, runCli } from '@/test-support/cli'
import { pairInstance } from '@/test-support/pairing'
import { startReceiver } from './support/webhook-receiver'
import type { HistorySeed } from '@/simulator/client'

const { WEBHOOK_EVENT_DATA } = await import('@/lib/api/openapi/webhook-events')

const receiver = await startReceiver(() => ({ status: 204 }))
const database = await useTestDatabase()
const sim = await startTestSimulator()
const stack = await startStack({ databaseUrl: database.url, env: sim.env })
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end())
// The store's own reads and writes, in this process, on the test's database.
process.env.DATABASE_URL = database.url
const { recordHistorySync } = await import('@/lib/store/history-sync')
const { listContacts } = await import('@/lib/store/contacts')
const { listChats } = await import('@/lib/store/chats')

const account = await createVerifiedAccount(database.url, { instances: ['history-shop', 'history-full'] })
const api = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '10000'))
runCli(stack.env, 'webhook:create', '--email', account.email, '--url', receiver.url, '--events', 'MESSAGES_UPSERT,MESSAGES_SET,CHATS_SET,CONTACTS_SET')

const OWN = '15554440000'
const FULL_OWN = '15554450000'
const CHATS = 50
const PER_CHAT = 20
const DAY = 86_400
const now = Math.floor(Date.now() / 1000)
const customer = (c: number) => `1555444${String(1000 + c)}`
const pn = (phone: string) => `${phone}@s.whatsapp.net`

/** 50 chats × 20 messages of the last days, plus one a year old per chat (FULL history only). */
function seed(prefix: string, full: HistorySeed['full']): HistorySeed {
  return {
    full,
    chats: Array.from({ length: CHATS }, (_, c) => ({
      with: customer(c),
      pushName: `Customer ${c}`,
      savedName: c % 10 === 0 ? `Saved ${c}` : undefined,
      unreadCount: c % 3,
      messages: [
        { id: `${prefix}OLD${c}`, text: `a year ago in chat ${c}`, timestamp: now - 365 * DAY },
        ...Array.from({ length: PER_CHAT }, (_, m) => ({
          id: `${prefix}C${c}M${m}`,
          fromMe: m % 4 === 3,
          text: `chat ${c} message ${m}`,
          timestamp: now - 2 * DAY + c * 600 + m * 10,
        })),
      ],
    })),
  }
}

const instanceRow = async (name: string) => (await sql`select id, user_id, name from instances where name = ${name}`)[0]
const historyRows = async (instanceId: string) => (await sql`select count(*)::int as n from messages where instance_id = ${instanceId} and from_history`)[0].n as number
const eventsOf = async (instanceId: string, type: string) =>
  (await sql`select data from instance_events where instance_id = ${instanceId} and event = ${type} order by seq`).map((row) => row.data as any)

describe('history sync after pairing', () => {
  it('stores 50 chats × 20 messages as history, readable by id, announced in MESSAGES_SET batches and never as MESSAGES_UPSERT', async () => {
    await sim.client.seedHistory(OWN, seed('R', 'always'))
    await pairInstance(api, sim, 'history-shop', OWN)
    const instance = await instanceRow('history-shop')
    await eventually(async () => ((await historyRows(instance.id)) >= CHATS * PER_CHAT ? true : undefined), 60_000, 250)

    // What the phone pushed: the bootstrap inline, the rest in blobs through the media host, and
    // FULL chunks (sent anyway here) that the instance, without syncFullHistory, does not take.
    const { pushes } = await sim.client.history(OWN)
    expect(pushes.map((push) => push.syncType)).toEqual(expect.arrayContaining(['INITIAL_BOOTSTRAP', 'RECENT', 'PUSH_NAME', 'FULL']))
    expect(pushes.filter((push) => push.syncType === 'RECENT').every((push) => !push.inline && push.directPath)).toBe(true)
    const [{ old }] = await sql`select count(*)::int as old from messages where instance_id = ${instance.id} and wa_id like 'ROLD%'`
    expect(old).toBe(0)
    expect(await historyRows(instance.id)).toBe(CHATS * PER_CHAT)

    const read = await api('history-shop/messages/RC7M3')
    expect(read.status, JSON.stringify(read.body)).toBe(200)
    expect(read.body).toMatchObject({ key: { remoteJid: pn(customer(7)), fromMe: true, id: 'RC7M3' }, message: { conversation: 'chat 7 message 3' } })

    const sets = await eventually(async () => {
      const events = await eventsOf(instance.id, 'MESSAGES_SET')
      return events.reduce((n, e) => n + e.messages.length, 0) === CHATS * PER_CHAT ? events : undefined
    }, 15_000)
    expect(sets.every((e) => e.messages.length <= 200)).toBe(true)
    expect(sets.length).toBeLessThan(20)
    const announced = sets.flatMap((e) => e.messages.map((m: any) => m.key.id))
    expect(new Set(announced).size).toBe(CHATS * PER_CHAT)
    const upserts = await eventsOf(instance.id, 'MESSAGES_UPSERT')
    expect(upserts.filter((e) => /^R(C|OLD)/.test(e.key.id))).toEqual([])

    const chats = (await eventsOf(instance.id, 'CHATS_SET')).flatMap((e) => e.chats)
    expect(new Set(chats.map((c: any) => c.jid))).toEqual(new Set(Array.from({ length: CHATS }, (_, c) => pn(customer(c)))))
    expect(chats.find((c: any) => c.jid === pn(customer(10)))).toMatchObject({ name: 'Saved 10', unreadCount: 1, archived: false, lastMessageTimestamp: now - 2 * DAY + 10 * 600 + (PER_CHAT - 1) * 10 })
    for (const type of ['MESSAGES_SET', 'CHATS_SET', 'CONTACTS_SET'] as const) {
      for (const data of await eventsOf(instance.id, type)) expect(WEBHOOK_EVENT_DATA[type].schema.safeParse(data).error, type).toBeUndefined()
    }
    const stored = await listChats(instance.id)
    expect(stored).toHaveLength(CHATS)
    expect(stored[0].jid).toBe(pn(customer(CHATS - 1))) // newest first
    const contacts = await listContacts(instance.id)
    expect(contacts).toHaveLength(CHATS)
    const simAccount = await sim.client.account(customer(20))
    expect(contacts.find((c) => c.jid === pn(customer(20)))).toMatchObject({ jid: pn(customer(20)), lid: simAccount.lid, phoneNumber: customer(20), pushName: 'Customer 20', savedName: 'Saved 20', verifiedName: null })
    const contactEvents = (await eventsOf(instance.id, 'CONTACTS_SET')).flatMap((e) => e.contacts)
    expect(contactEvents.some((c: any) => c.jid === pn(customer(3)) && c.pushName === 'Customer 3')).toBe(true)

    // Subscribers get the batches as webhooks.
    await eventually(async () => {
      const bodies = receiver.received.map((request) => JSON.parse(request.rawBody)).filter((body) => body.instance === 'history-shop')
      const delivered = bodies.filter((body) => body.event === 'MESSAGES_SET').reduce((n, body) => n + body.data.messages.length, 0)
      return delivered === CHATS * PER_CHAT && bodies.some((body) => body.event === 'CHATS_SET') && bodies.some((body) => body.event === 'CONTACTS_SET') ? true : undefined
    }, 30_000)
  }, 120_000)

  it('a chunk stored again (after a crash, WhatsApp sends it again) adds no rows and no events', async () => {
    const row = await instanceRow('history-shop')
    const instance = { id: row.id, userId: row.user_id, name: row.name }
    const eventCount = async () => (await sql`select count(*)::int as n from instance_events where instance_id = ${instance.id}`)[0].n as number
    const batch = {
      syncType: 'RECENT',
      progress: 100,
      messages: [{ remoteJid: pn(customer(1)), fromMe: false, waId: 'RC1M0', participant: null, pushName: 'Customer 1', messageType: 'conversation', message: { conversation: 'chat 1 message 0' }, messageTimestamp: now, status: 'READ' as const, media: null }],
      chats: [{ jid: pn(customer(1)), jidAlt: null, name: null, unreadCount: 1, archived: false, pinned: false, mutedUntil: null, markedUnread: false, lastMessageTimestamp: null }],
      contacts: [{ jid: pn(customer(1)), lid: null, phoneNumber: customer(1), pushName: 'Customer 1', savedName: null, verifiedName: null }],
    }
    const before = { rows: await historyRows(instance.id), events: await eventCount() }
    expect(await recordHistorySync(instance, batch)).toEqual({ messages: 0, chats: 0, contacts: 0 })
    expect(await recordHistorySync(instance, batch)).toEqual({ messages: 0, chats: 0, contacts: 0 })
    expect({ rows: await historyRows(instance.id), events: await eventCount() }).toEqual(before)
  })

  it('with syncFullHistory the instance asks for the whole history at pairing and stores the older messages too', async () => {
    const set = await api('history-full/settings/set', { method: 'POST', body: JSON.stringify({ syncFullHistory: true }) })
    expect(set.status, JSON.stringify(set.body)).toBe(201)
    await sim.client.seedHistory(FULL_OWN, seed('F', 'requested'))
    await pairInstance(api, sim, 'history-full', FULL_OWN)
    const instance = await instanceRow('history-full')
    await eventually(async () => ((await historyRows(instance.id)) >= CHATS * (PER_CHAT + 1) ? true : undefined), 60_000, 250)
    expect((await sim.client.history(FULL_OWN)).pushes.some((push) => push.syncType === 'FULL')).toBe(true)
    const read = await api('history-full/messages/FOLD4')
    expect(read.body).toMatchObject({ message: { conversation: 'a year ago in chat 4' }, messageTimestamp: now - 365 * DAY })
  }, 120_000)
})

describe('messages sent while the instance is down', () => {
  it('arrive at the webhook once each, in order, after it reconnects', async () => {
    const ALICE = customer(1)
    const instance = await instanceRow('history-shop')
    const online = async () => (await sim.client.sessions()).some((session) => session.phone === OWN && session.state === 'online')
    await eventually(async () => ((await online()) ? true : undefined), 30_000)

    const worker = stack.workers.find((child) => child.exitCode === null && child.signalCode === null)!
    worker.kill('SIGTERM')
    await new Promise((resolve) => worker.once('exit', resolve))
    await eventually(async () => ((await online()) ? undefined : true), 15_000)

    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      const sent = await sim.client.send(ALICE, { to: OWN, text: `while you were away ${i}` })
      expect(sent.deliveries).toEqual([{ deviceId: expect.any(Number), status: 'queued' }])
      ids.push(sent.id)
    }

    stack.startWorker()
    const upserts = await eventually(async () => {
      const found = (await eventsOf(instance.id, 'MESSAGES_UPSERT')).filter((e) => ids.includes(e.key.id))
      return found.length === ids.length ? found : undefined
    }, 60_000, 250)
    expect(upserts.map((e) => e.key.id)).toEqual(ids)
    expect(upserts.map((e) => e.message.conversation)).toEqual(ids.map((_, i) => `while you were away ${i}`))

    const delivered = await eventually(async () => {
      const bodies = receiver.received.map((request) => JSON.parse(request.rawBody)).filter((body) => body.event === 'MESSAGES_UPSERT' && ids.includes(body.data.key.id))
      return bodies.length >= ids.length ? bodies : undefined
    }, 30_000)
    // Once each: a second copy would come within the retries' first delay; the queue is empty by now.
    await eventually(async () => {
      const [{ pending }] = await sql`select count(*)::int as pending from webhook_deliveries where status = 'pending'`
      return pending === 0 ? true : undefined
    }, 30_000)
    const copies = receiver.received.map((request) => JSON.parse(request.rawBody)).filter((body) => body.event === 'MESSAGES_UPSERT' && ids.includes(body.data.key.id))
    expect(copies.map((body) => body.data.key.id).sort()).toEqual([...ids].sort())
    // In order: the events were recorded in the order sent (their timestamps say so too).
    const byId = new Map(delivered.map((body) => [body.data.key.id, body.timestamp]))
    const stamps = ids.map((id) => byId.get(id)!)
    expect([...stamps].sort()).toEqual(stamps)
    expect((await sim.client.account(OWN)).companions[0].queued).toBe(0)
  }, 120_000)
})
