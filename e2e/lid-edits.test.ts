// LID addressing, edits and deletions end to end: simulated WhatsApp (LID-addressed contacts and
// groups, phones that edit and delete) → the real Baileys in the worker → stored messages, events and
// signed webhooks; and replies by either identity back to the same contact.
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

const receiver = await startReceiver(() => ({ status: 204 }))
const database = await useTestDatabase()
const sim = await startTestSimulator()
const stack = await startStack({ databaseUrl: database.url, env: sim.env })
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

const account = await createVerifiedAccount(database.url, { instances: ['lid-shop'] })
const api = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '10000'))
runCli(stack.env, 'webhook:create', '--email', account.email, '--url', receiver.url, '--events', 'MESSAGES_UPSERT,MESSAGES_UPDATE,MESSAGES_DELETE')

const OWN = '15553330000'
const LINA = '15553330001' // LID-addressed, shares her number
const HIDA = '15553330002' // LID-addressed, number hidden
const PETE = '15553330003' // addressed by number
const pn = (phone: string) => `${phone}@s.whatsapp.net`

const lina = await sim.client.createAccount(LINA, 'Lina', { addressing: 'lid' })
const hida = await sim.client.createAccount(HIDA, 'Hida', { addressing: 'lid', sharePhoneNumber: false })
const pete = await sim.client.createAccount(PETE, 'Pete')
await pairInstance(api, sim, 'lid-shop', OWN)

const post = (path: string, body: unknown) => api(`lid-shop/${path}`, { method: 'POST', body: JSON.stringify(body) })

async function eventOf(type: string, match: (data: any) => boolean, timeoutMs = 15_000): Promise<any> {
  return eventually(async () => (await sql`select data from instance_events where event = ${type} order by seq`).find((row) => match(row.data))?.data, timeoutMs)
}

async function eventsOf(type: string, match: (data: any) => boolean): Promise<any[]> {
  return (await sql`select data from instance_events where event = ${type} order by seq`).map((row) => row.data).filter(match)
}

async function webhookOf(event: string, id: string): Promise<any> {
  return eventually(async () => receiver.received.map((request) => JSON.parse(request.rawBody)).find((body) => body.event === event && body.data.key?.id === id), 15_000)
}

async function inboxOf(phone: string, id: string) {
  return eventually(async () => (await sim.client.messages(phone)).find((message) => message.id === id), 15_000)
}

const textIn = (message: Record<string, any>) => message.conversation ?? message.extendedTextMessage?.text

describe('LID addressing', () => {
  it('a LID-addressed contact reaches the webhook with its number in remoteJid and its LID in remoteJidAlt', async () => {
    const { id } = await sim.client.send(LINA, { to: OWN, text: 'hello from my LID' })
    const delivery = await webhookOf('MESSAGES_UPSERT', id)
    expect(delivery.data.key).toEqual({ remoteJid: pn(LINA), remoteJidAlt: lina.lid, fromMe: false, id })
    const stored = await api(`lid-shop/messages/${id}`)
    expect(stored.body.key).toEqual({ remoteJid: pn(LINA), remoteJidAlt: lina.lid, fromMe: false, id })
  })

  it('a reply by number and a reply by LID both reach that contact, in one chat', async () => {
    const byNumber = await post('message/sendText', { number: LINA, text: 'reply by number' })
    const byLid = await post('message/sendText', { number: lina.lid, text: 'reply by LID' })
    expect(byNumber.status, JSON.stringify(byNumber.body)).toBe(201)
    expect(byLid.status, JSON.stringify(byLid.body)).toBe(201)
    expect(byNumber.body.key).toMatchObject({ remoteJid: pn(LINA), remoteJidAlt: lina.lid, fromMe: true })
    expect(byLid.body.key).toMatchObject({ remoteJid: pn(LINA), remoteJidAlt: lina.lid, fromMe: true })
    for (const sent of [byNumber, byLid]) {
      const received = await inboxOf(LINA, sent.body.key.id)
      expect(received).toMatchObject({ device: 0, chat: pn(OWN) })
    }
    expect(textIn((await inboxOf(LINA, byLid.body.key.id)).message)).toBe('reply by LID')
  })

  it('GET chat/lid resolves either identity from the stored mapping; unknown is 404, malformed is 400 naming the field', async () => {
    expect((await api(`lid-shop/chat/lid?number=${LINA}`)).body).toEqual({ number: LINA, jid: pn(LINA), lid: lina.lid })
    expect((await api(`lid-shop/chat/lid?lid=${encodeURIComponent(lina.lid)}`)).body).toEqual({ number: LINA, jid: pn(LINA), lid: lina.lid })
    const unknown = await api('lid-shop/chat/lid?number=15553339999')
    expect(unknown.status).toBe(404)
    expect(unknown.body.error).toBe('not_found')
    const cases: [string, string][] = [
      ['lid=abc@lid', 'lid'],
      ['lid=123', 'lid'],
      ['lid=123%00@lid', 'lid'],
      ['number=12ab', 'number'],
      ['', 'number'],
      [`number=${LINA}&lid=${encodeURIComponent(lina.lid)}`, 'lid'],
    ]
    for (const [query, field] of cases) {
      const response = await api(`lid-shop/chat/lid?${query}`)
      expect(response.status, query).toBe(400)
      expect(response.body.error, query).toBe('invalid_request')
      expect(response.body.details.map((detail: { field: string }) => detail.field), query).toContain(field)
    }
  })

  it('a contact known only by its LID gets remoteJid = LID, and a reply to the LID reaches it', async () => {
    const { id } = await sim.client.send(HIDA, { to: OWN, text: 'my number is private' })
    const upsert = await eventOf('MESSAGES_UPSERT', (data) => data.key.id === id)
    expect(upsert.key).toEqual({ remoteJid: hida.lid, fromMe: false, id })
    expect((await api(`lid-shop/chat/lid?lid=${encodeURIComponent(hida.lid)}`)).status).toBe(404)
    const reply = await post('message/sendText', { number: hida.lid, text: 'we hear you' })
    expect(reply.status, JSON.stringify(reply.body)).toBe(201)
    expect(reply.body.key).toMatchObject({ remoteJid: hida.lid, fromMe: true })
    expect(await inboxOf(HIDA, reply.body.key.id)).toMatchObject({ device: 0, chat: pn(OWN) })
  })

  it('a LID-addressed group names the sender by number in participant and by LID in participantAlt', async () => {
    const group = await sim.client.createGroup({ creator: PETE, subject: 'LID group', participants: [OWN, LINA], addressingMode: 'lid' })
    const { id } = await sim.client.groupSend(group.jid, { from: LINA, text: 'hi all' })
    const upsert = await eventOf('MESSAGES_UPSERT', (data) => data.key.id === id)
    expect(upsert.key).toEqual({ remoteJid: group.jid, fromMe: false, id, participant: pn(LINA), participantAlt: lina.lid })
  })

  it('refuses a malformed LID or number as the recipient with a 400 naming the field', async () => {
    for (const number of ['abc@lid', '12@lid@lid', '@lid', '1234567890123456789012@lid', 'x\u0000@lid']) {
      const response = await post('message/sendText', { number, text: 'x' })
      expect(response.status, number).toBe(400)
      expect(response.body.details.map((detail: { field: string }) => detail.field), number).toContain('number')
    }
  })
})

describe('edits and deletions', () => {
  it('a contact’s edit is announced with the new text and editedAt, and stored with the old text in its history', async () => {
    const { id } = await sim.client.send(PETE, { to: OWN, text: 'teh order' })
    await eventOf('MESSAGES_UPSERT', (data) => data.key.id === id)
    await sim.client.edit(PETE, OWN, id, 'the order')
    const update = await webhookOf('MESSAGES_UPDATE', id)
    expect(update.data).toMatchObject({ key: { remoteJid: pn(PETE), remoteJidAlt: pete.lid, fromMe: false, id }, message: { conversation: 'the order' }, editedAt: expect.any(String) })
    const stored = await api(`lid-shop/messages/${id}`)
    expect(textIn(stored.body.message)).toBe('the order')
    expect(stored.body.editedAt).toEqual(expect.any(String))
    expect(stored.body.editHistory).toEqual([{ message: { conversation: 'teh order' }, messageType: 'conversation', replacedAt: expect.any(String) }])
    expect(await eventsOf('MESSAGES_UPDATE', (data) => data.key.id === id && data.message)).toHaveLength(1)
  })

  it('an edit stating an impossible time (a modified client) is kept with the server’s time, and the instance goes on receiving', async () => {
    const { id } = await sim.client.send(PETE, { to: OWN, text: 'price 10' })
    const sent = await eventOf('MESSAGES_UPSERT', (data) => data.key.id === id)
    // timestampMs is an int64 inside the encrypted message: WhatsApp cannot check it.
    await sim.client.edit(PETE, OWN, id, 'price 12', '9000000000000000000')
    const update = await webhookOf('MESSAGES_UPDATE', id)
    expect(update.data.message).toEqual({ conversation: 'price 12' })
    const editedAt = Date.parse(update.data.editedAt)
    expect(editedAt).toBeGreaterThanOrEqual(sent.messageTimestamp * 1000)
    expect(editedAt).toBeLessThanOrEqual(Date.now() + 60_000)
    const { id: next } = await sim.client.send(PETE, { to: OWN, text: 'still there?' })
    await eventOf('MESSAGES_UPSERT', (data) => data.key.id === next)
  })

  it('an edit made on the phone of a message sent through the API updates it as our own', async () => {
    const sent = await post('message/sendText', { number: PETE, text: 'Your order ships Monday' })
    expect(sent.status).toBe(201)
    const id = sent.body.key.id
    await sim.client.edit(OWN, PETE, id, 'Your order ships Tuesday')
    const update = await eventOf('MESSAGES_UPDATE', (data) => data.key.id === id && data.message)
    expect(update).toMatchObject({ key: { remoteJid: pn(PETE), fromMe: true, id }, message: { conversation: 'Your order ships Tuesday' } })
    const stored = await api(`lid-shop/messages/${id}`)
    expect(textIn(stored.body.message)).toBe('Your order ships Tuesday')
    expect(textIn(stored.body.editHistory[0].message)).toBe('Your order ships Monday')
  })

  it('a contact’s revoke names that contact’s chat and message, marks it deleted, and is announced once', async () => {
    const { id } = await sim.client.send(PETE, { to: OWN, text: 'sent by mistake' })
    await eventOf('MESSAGES_UPSERT', (data) => data.key.id === id)
    await sim.client.revoke(PETE, OWN, id)
    const deleted = await webhookOf('MESSAGES_DELETE', id)
    expect(deleted.data.key).toEqual({ remoteJid: pn(PETE), remoteJidAlt: pete.lid, fromMe: false, id })
    expect((await api(`lid-shop/messages/${id}`)).body.deletedAt).toEqual(expect.any(String))
    // the same revoke again (a redelivery), then a message behind it: once that is in, nothing new was announced
    await sim.client.revoke(PETE, OWN, id)
    const behind = await sim.client.send(PETE, { to: OWN, text: 'after the second revoke' })
    await eventOf('MESSAGES_UPSERT', (data) => data.key.id === behind.id)
    expect(await eventsOf('MESSAGES_DELETE', (data) => data.key.id === id)).toHaveLength(1)
  })

  it('a group revoke names the group and the participant, also when an admin deletes a member’s post', async () => {
    const group = await sim.client.createGroup({ creator: PETE, subject: 'Revokes', participants: [OWN, LINA], addressingMode: 'lid' })
    const own = await sim.client.groupSend(group.jid, { from: LINA, text: 'oops, wrong group' })
    await eventOf('MESSAGES_UPSERT', (data) => data.key.id === own.id)
    await sim.client.groupSend(group.jid, { from: LINA, revoke: { messageId: own.id } })
    const deleted = await eventOf('MESSAGES_DELETE', (data) => data.key.id === own.id)
    expect(deleted.key).toEqual({ remoteJid: group.jid, fromMe: false, id: own.id, participant: pn(LINA), participantAlt: lina.lid })

    const post2 = await sim.client.groupSend(group.jid, { from: LINA, text: 'spam' })
    await eventOf('MESSAGES_UPSERT', (data) => data.key.id === post2.id)
    await sim.client.groupSend(group.jid, { from: PETE, revoke: { messageId: post2.id, participant: LINA } })
    const byAdmin = await eventOf('MESSAGES_DELETE', (data) => data.key.id === post2.id)
    expect(byAdmin.key).toEqual({ remoteJid: group.jid, fromMe: false, id: post2.id, participant: pn(LINA), participantAlt: lina.lid })
  })
})

describe('the mapping is durable', () => {
  it('after a failover to another worker, a LID-only message from a known contact still names its number', async () => {
    const [worker] = stack.workers
    worker.kill('SIGKILL')
    await new Promise((resolve) => worker.once('exit', resolve))
    // WhatsApp now leaves Lina's number out: only the mapping the instance stored can name it.
    await sim.client.setAddressing(LINA, { addressing: 'lid', sharePhoneNumber: false })
    stack.startWorker()
    await eventually(async () => ((await api('lid-shop/connectionState')).body.instance?.state === 'open' ? true : undefined), 60_000, 200)
    expect((await api(`lid-shop/chat/lid?number=${LINA}`)).body.lid).toBe(lina.lid)
    const { id } = await sim.client.send(LINA, { to: OWN, text: 'still me' })
    const upsert = await eventOf('MESSAGES_UPSERT', (data) => data.key.id === id, 30_000)
    expect(upsert.key).toEqual({ remoteJid: pn(LINA), remoteJidAlt: lina.lid, fromMe: false, id })
    // The new worker may still be settling its socket (409 instance_not_connected is the documented
    // "not connected yet"); the reply must go out once it is.
    const reply = await eventually(async () => {
      const answer = await post('message/sendText', { number: lina.lid, text: 'welcome back' })
      return answer.status === 409 && answer.body.error === 'instance_not_connected' ? undefined : answer
    }, 30_000, 250)
    expect(reply.status, JSON.stringify(reply.body)).toBe(201)
    expect(await inboxOf(LINA, reply.body.key.id)).toMatchObject({ device: 0 })
  }, 120_000)
})
