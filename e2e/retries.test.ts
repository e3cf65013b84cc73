// Retries end to end: simulated WhatsApp (phones that fail to decrypt and ask for a retry, contacts whose
// messages arrive undecryptable: simulator/README.md, "Retries") → the real Baileys in the worker →
// our resends from the messages table (workers/whatsapp/resend.ts) and undecryptable messages announced
// once (workers/whatsapp/undecryptable.ts), to signed webhooks.
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

const GRACE_MS = 4000
const receiver = await startReceiver(() => ({ status: 204 }))
const database = await useTestDatabase()
const sim = await startTestSimulator()
const stack = await startStack({ databaseUrl: database.url, env: { ...sim.env, WA_UNDECRYPTABLE_GRACE_MS: String(GRACE_MS) } })
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

const account = await createVerifiedAccount(database.url, { instances: ['retry-shop'] })
const api = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '10000'))
runCli(stack.env, 'webhook:create', '--email', account.email, '--url', receiver.url, '--events', 'MESSAGES_UPSERT,MESSAGES_UPDATE')

const OWN = '15554440000'
const RITA = '15554440001' // her phone fails to decrypt, and asks for retries
const PETE = '15554440002' // his messages arrive undecryptable
await sim.client.createAccount(RITA, 'Rita')
await sim.client.createAccount(PETE, 'Pete')
await pairInstance(api, sim, 'retry-shop', OWN)

const textIn = (message: Record<string, any>) => message.conversation ?? message.extendedTextMessage?.text

async function sendText(text: string): Promise<string> {
  const sent = await api('retry-shop/message/sendText', { method: 'POST', body: JSON.stringify({ number: RITA, text }) })
  expect(sent.status, JSON.stringify(sent.body)).toBe(201)
  return sent.body.key.id
}

const inboxOf = (phone: string, id: string, timeoutMs = 20_000) => eventually(async () => (await sim.client.messages(phone)).find((message) => message.id === id), timeoutMs)

const statusOf = async (id: string) => (await api(`retry-shop/messages/${id}`)).body.status as string

async function upserts(id: string): Promise<any[]> {
  return (await sql`select data from instance_events where event = 'MESSAGES_UPSERT' and data->'key'->>'id' = ${id} order by seq`).map((row) => row.data)
}

const webhooksOf = (event: string, id: string) => receiver.received.map((request) => JSON.parse(request.rawBody)).filter((body) => body.event === event && body.data.key?.id === id)

const instanceOpen = async () => ((await api('retry-shop/connectionState')).body.instance?.state === 'open' ? true : undefined)

describe('a recipient that cannot decrypt our message', () => {
  it('asks for a retry, decrypts the message sent again with the same id, and the send moves on to delivered', async () => {
    await sim.client.failDecrypts(RITA, { count: 1 })
    const id = await sendText('first copy fails')
    expect(textIn((await inboxOf(RITA, id)).message)).toBe('first copy fails')
    expect((await sim.client.retries(RITA)).requests).toMatchObject([{ id, count: 1 }])
    await eventually(async () => (['DELIVERY_ACK', 'READ'].includes(await statusOf(id)) ? true : undefined), 15_000)
  })

  it('after a reconnect the stored message is sent again; one older than 24 hours is not', async () => {
    // Both copies fail, and Rita's phone asks only later: after the reconnect, so Baileys no longer
    // remembers what it sent and asks getMessage (the messages table).
    await sim.client.failDecrypts(RITA, { count: 2, retry: false })
    const old = await sendText('sent yesterday')
    const recent = await sendText('sent a minute ago')
    await eventually(async () => {
      const failed = (await sim.client.retries(RITA)).undecrypted.map((copy) => copy.id)
      return failed.includes(old) && failed.includes(recent) ? true : undefined
    })
    await sql`update messages set message_timestamp = message_timestamp - 25 * 3600 where wa_id = ${old}`

    const before = new Set((await sim.client.sessions()).map((session) => session.id))
    expect((await api('retry-shop/restart', { method: 'POST' })).status).toBe(200)
    await eventually(async () => ((await sim.client.sessions()).some((session) => session.phone === OWN && session.state === 'online' && !before.has(session.id)) ? true : undefined), 30_000)
    await eventually(instanceOpen, 30_000)

    expect((await sim.client.requestRetry(RITA, old)).status).toBe('sent')
    expect((await sim.client.requestRetry(RITA, recent)).status).toBe('sent')
    // Baileys handles receipts one at a time, in order: once the recent one is resent, the old one was refused.
    expect(textIn((await inboxOf(RITA, recent)).message)).toBe('sent a minute ago')
    await eventually(async () => (['DELIVERY_ACK', 'READ'].includes(await statusOf(recent)) ? true : undefined), 15_000)
    expect((await sim.client.messages(RITA)).some((message) => message.id === old)).toBe(false)
    expect(await statusOf(old)).toBe('SERVER_ACK')
  }, 90_000)
})

describe('a message that arrives undecryptable', () => {
  const resent: { id?: string } = {}

  it('is announced once, with its content, when the sender resends it readable', async () => {
    const { id } = await sim.client.send(PETE, { to: OWN, text: 'readable the second time', undecryptable: {} })
    resent.id = id
    const [upsert] = await eventually(async () => ((await upserts(id)).length ? upserts(id) : undefined))
    expect(upsert).toMatchObject({ key: { remoteJid: `${PETE}@s.whatsapp.net`, fromMe: false, id }, messageType: 'conversation', message: { conversation: 'readable the second time' } })
    expect((await sim.client.receipts(PETE)).filter((receipt) => receipt.id === id && receipt.type === 'retry')).toHaveLength(1)
    const stored = await api(`retry-shop/messages/${id}`)
    expect(textIn(stored.body.message)).toBe('readable the second time')
  })

  it('is recorded and announced once, after the grace period, as undecryptable when it never becomes readable', async () => {
    const sentAt = Date.now()
    const { id } = await sim.client.send(PETE, { to: OWN, text: 'nobody will read this', undecryptable: { resend: false } })
    const [announced] = await eventually(async () => ((await upserts(id)).length ? upserts(id) : undefined), 30_000, 100)
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(GRACE_MS)
    expect(announced).toMatchObject({ key: { remoteJid: `${PETE}@s.whatsapp.net`, fromMe: false, id }, pushName: 'Pete', messageType: 'undecryptable', message: {} })
    const stored = await api(`retry-shop/messages/${id}`)
    expect(stored.body).toMatchObject({ messageType: 'undecryptable', message: {} })
    const [webhook] = await eventually(async () => (webhooksOf('MESSAGES_UPSERT', id).length ? webhooksOf('MESSAGES_UPSERT', id) : undefined))
    expect(webhook.data.messageType).toBe('undecryptable')

    // The earlier, resent message is past its grace period too: still announced once, with its content.
    const earlier = await upserts(resent.id!)
    expect(earlier).toHaveLength(1)
    expect(earlier[0].messageType).toBe('conversation')
    expect(webhooksOf('MESSAGES_UPSERT', resent.id!)).toHaveLength(1)
    expect(await upserts(id)).toHaveLength(1)
    expect(webhooksOf('MESSAGES_UPSERT', id)).toHaveLength(1)

    // Should the sender still send it readable (same id), it fills in the stored message: MESSAGES_UPDATE, no second upsert.
    await sim.client.send(PETE, { to: OWN, id, text: 'nobody will read this' })
    const update = await eventually(async () => webhooksOf('MESSAGES_UPDATE', id).find((body) => body.data.message)?.data)
    expect(update).toMatchObject({ key: { remoteJid: `${PETE}@s.whatsapp.net`, fromMe: false, id }, messageType: 'conversation', message: { conversation: 'nobody will read this' } })
    expect(textIn((await api(`retry-shop/messages/${id}`)).body.message)).toBe('nobody will read this')
    expect(await upserts(id)).toHaveLength(1)
  }, 60_000)

  it('is announced once after a failover too: the held message is a row, not a timer', async () => {
    const { id } = await sim.client.send(PETE, { to: OWN, text: 'held while the worker dies', undecryptable: { resend: false } })
    await eventually(async () => ((await sql`select 1 from undecryptable_messages where wa_id = ${id}`).length ? true : undefined))
    const [worker] = stack.workers
    worker.kill('SIGKILL')
    await new Promise((resolve) => worker.once('exit', resolve))
    stack.startWorker()
    const [announced] = await eventually(async () => ((await upserts(id)).length ? upserts(id) : undefined), 90_000, 250)
    expect(announced).toMatchObject({ key: { id }, messageType: 'undecryptable' })
    await eventually(instanceOpen, 60_000, 200)
    expect(await upserts(id)).toHaveLength(1)
    expect((await sql`select 1 from undecryptable_messages where wa_id = ${id}`).length).toBe(0)
  }, 120_000)
})
