// The messaging data plane end to end: API → outbox → worker → real Baileys → simulated WhatsApp → contacts.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
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
const stack = await startStack({ databaseUrl: database.url, env: sim.env })
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

const account = await createVerifiedAccount(database.url, { instances: ['acme-prod', 'acme-idle'] })
const api = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '10000'))
const OWN = '15551110000'
const ALICE = '919876543210'
const NOBODY = '15559990000'
await sim.client.createAccount(ALICE, 'Alice')
await sim.client.markNotOnWhatsApp([NOBODY])
await pairInstance(api, sim, 'acme-prod', OWN)

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  api(`acme-prod/${path}`, { method: 'POST', body: JSON.stringify(body), headers })

async function aliceGot(id: string) {
  return eventually(async () => {
    const messages = await sim.client.messages(ALICE, { from: OWN })
    return messages.find((message) => message.id === id)
  }, 15_000)
}

async function eventsOf(type: string) {
  return sql`select data from instance_events where event = ${type} order by seq`
}

describe('POST message/sendText', () => {
  it('sends, answers 201 with the documented body, and the contact reads it', async () => {
    const response = await post('message/sendText', { number: `+${ALICE.slice(0, 2)} ${ALICE.slice(2)}`, text: 'Hello from SAGE-API!' })
    expect(response.status).toBe(201)
    expect(response.body).toMatchObject({
      key: { remoteJid: `${ALICE}@s.whatsapp.net`, fromMe: true, id: expect.stringMatching(/^3EB0[0-9A-F]{18}$/) },
      message: { extendedTextMessage: { text: 'Hello from SAGE-API!' } },
      messageTimestamp: expect.any(Number),
      status: expect.stringMatching(/^(PENDING|SERVER_ACK|DELIVERY_ACK)$/),
    })
    const received = await aliceGot(response.body.key.id)
    expect(JSON.stringify(received.message)).toContain('Hello from SAGE-API!')
  })

  it('moves the status through receipts, visible in GET messages/{id} and as events', async () => {
    const sent = await post('message/sendText', { number: ALICE, text: 'status please' })
    const id = sent.body.key.id
    const details = await eventually(async () => {
      const response = await api(`acme-prod/messages/${id}`)
      return response.body.status === 'READ' ? response.body : undefined
    }, 15_000)
    expect(details.statusHistory.map((entry: { status: string }) => entry.status)).toEqual(['PENDING', 'SERVER_ACK', 'DELIVERY_ACK', 'READ'])
    const updates = (await eventsOf('SEND_MESSAGE_UPDATE')).filter((row) => row.data.key.id === id).map((row) => row.data.status)
    expect(updates).toEqual(['SERVER_ACK', 'DELIVERY_ACK', 'READ'])
    const upserts = (await eventsOf('MESSAGES_UPSERT')).filter((row) => row.data.key.id === id)
    expect(upserts).toHaveLength(1)
    expect(upserts[0].data).not.toHaveProperty('instance')
    expect(upserts[0].data).toMatchObject({ key: { fromMe: true, id }, messageType: 'extendedTextMessage' })
  })

  it('issues its privacy token to a contact once per 7-day bucket, as WhatsApp Web does, not on every send', async () => {
    // Baileys issues it after a 1:1 send and remembers when in its key store; that write was lost while
    // it ran inside the send's finished key transaction (our Baileys patch), so every send asked again.
    const ids: string[] = []
    for (const text of ['token one', 'token two', 'token three']) ids.push((await post('message/sendText', { number: ALICE, text })).body.key.id)
    // Frames of one socket reach the simulator in order: once the last message arrived, every earlier send's issuance did too.
    for (const id of ids) await aliceGot(id)
    const { lid } = await sim.client.account(ALICE)
    const toAlice = (await sim.client.privacyTokens(OWN)).filter((token) => [`${ALICE}@s.whatsapp.net`, `${lid}@lid`, lid].includes(token.jid))
    expect(toAlice).toHaveLength(1)
    expect(toAlice[0].t).toBeGreaterThan(Date.now() / 1000 - 3600)
  })

  it('refuses bad input with field-level details, and stores nothing', async () => {
    const before = await sql`select count(*)::int as count from messages`
    const cases: [unknown, string][] = [
      [{ number: '12ab', text: 'x' }, 'number'],
      [{ number: ALICE, text: '' }, 'text'],
      [{ number: ALICE }, 'text'],
      [{ number: ALICE, text: 'x', delay: 70_000 }, 'delay'],
      [{ number: 919876543210, text: 'x' }, 'number'],
    ]
    for (const [body, field] of cases) {
      const response = await post('message/sendText', body)
      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(response.body.error).toBe('invalid_request')
      expect(response.body.details.map((detail: { field: string }) => detail.field)).toContain(field)
    }
    const malformed = await api('acme-prod/message/sendText', { method: 'POST', body: '{"number":', headers: { 'content-type': 'application/json' } })
    expect(malformed.status).toBe(400)
    expect(malformed.body.error).toBe('invalid_json')
    expect((await sql`select count(*)::int as count from messages`)[0].count).toBe(before[0].count)
  })

  it('answers 422 not_on_whatsapp for a number without WhatsApp', async () => {
    const response = await post('message/sendText', { number: NOBODY, text: 'anyone?' })
    expect(response.status).toBe(422)
    expect(response.body.error).toBe('not_on_whatsapp')
  })

  it('answers 409 instance_not_connected for an instance that is not paired', async () => {
    const response = await api('acme-idle/message/sendText', { method: 'POST', body: JSON.stringify({ number: ALICE, text: 'x' }) })
    expect(response.status).toBe(409)
    expect(response.body.error).toBe('instance_not_connected')
  })
})

describe('delay', () => {
  it('answers before the delay is spent, and does not hold up later sends', async () => {
    const startedAt = Date.now()
    const delayed = await post('message/sendText', { number: ALICE, text: 'typed slowly', delay: 3000 })
    expect(delayed.status).toBe(201)
    expect(delayed.body.status).toBe('PENDING')
    expect(Date.now() - startedAt).toBeLessThan(2500)
    const quick = await post('message/sendText', { number: ALICE, text: 'sent at once' })
    expect(quick.status).toBe(201)
    const [first, second] = await Promise.all([aliceGot(quick.body.key.id), aliceGot(delayed.body.key.id)])
    expect(first.receivedAt).toBeLessThan(second.receivedAt)
    expect(second.receivedAt - startedAt).toBeGreaterThanOrEqual(2900)
  })
})

describe('Idempotency-Key', () => {
  it('replays the first response and sends nothing again; another body is a conflict', async () => {
    const headers = { 'Idempotency-Key': `order-${Date.now()}` }
    const first = await post('message/sendText', { number: ALICE, text: 'exactly once' }, headers)
    const again = await post('message/sendText', { number: ALICE, text: 'exactly once' }, headers)
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(again.body).toEqual(first.body)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    const conflict = await post('message/sendText', { number: ALICE, text: 'something else' }, headers)
    expect(conflict.status).toBe(409)
    expect(conflict.body.error).toBe('idempotency_conflict')
    await aliceGot(first.body.key.id)
    const copies = (await sim.client.messages(ALICE, { from: OWN })).filter((message) => JSON.stringify(message.message).includes('exactly once'))
    expect(copies).toHaveLength(1)
  })

  it('runs concurrent requests with one key once', async () => {
    const headers = { 'Idempotency-Key': `race-${Date.now()}` }
    const responses = await Promise.all([1, 2, 3].map(() => post('message/sendText', { number: ALICE, text: 'raced' }, headers)))
    expect(responses.map((response) => response.status)).toEqual([201, 201, 201])
    expect(new Set(responses.map((response) => response.body.key.id)).size).toBe(1)
    const stored = await sql`select count(*)::int as count from messages where message->'extendedTextMessage'->>'text' = 'raced'`
    expect(stored[0].count).toBe(1)
  })
})

describe('location, contact cards and reactions', () => {
  it('sends each kind, and the contact decrypts it', async () => {
    const location = await post('message/sendLocation', { number: ALICE, latitude: 12.97, longitude: 77.59, name: 'Office', address: 'MG Road' })
    expect(location.status).toBe(201)
    expect(location.body.message).toHaveProperty('locationMessage')
    expect((await aliceGot(location.body.key.id)).message).toHaveProperty('locationMessage')

    const contact = await post('message/sendContact', { number: ALICE, contact: [{ fullName: 'Bob Builder', phoneNumber: '+1 555 000 1234', organization: 'ACME' }] })
    expect(contact.status).toBe(201)
    const card = await aliceGot(contact.body.key.id)
    expect(JSON.stringify(card.message)).toContain('Bob Builder')

    const several = await post('message/sendContact', { number: ALICE, contact: [{ fullName: 'A', phoneNumber: '15550001' }, { fullName: 'B', phoneNumber: '15550002' }] })
    expect(several.status).toBe(201)
    expect(several.body.message).toHaveProperty('contactsArrayMessage')

    const reaction = await post('message/sendReaction', { key: contact.body.key, reaction: '👍' })
    expect(reaction.status).toBe(201)
    expect(JSON.stringify((await aliceGot(reaction.body.key.id)).message)).toContain('👍')
  })

  it('refuses bad coordinates and empty contact lists', async () => {
    expect((await post('message/sendLocation', { number: ALICE, latitude: 123, longitude: 0 })).status).toBe(400)
    expect((await post('message/sendContact', { number: ALICE, contact: [] })).status).toBe(400)
  })
})

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

describe('POST message/sendMedia', () => {
  it('sends base64 media; the contact decrypts the same bytes', async () => {
    const response = await post('message/sendMedia', { number: ALICE, mediatype: 'image', media: PNG.toString('base64'), caption: 'pixel' })
    expect(response.status, JSON.stringify(response.body)).toBe(201)
    expect(response.body.message.imageMessage).toMatchObject({ mimetype: 'image/png', caption: 'pixel' })
    const received = await aliceGot(response.body.key.id)
    expect(received.media?.ok).toBe(true)
    expect(Buffer.from(received.media!.base64, 'base64').equals(PNG)).toBe(true)
    // The sent file is served back too.
    const served = await fetch(`${stack.baseUrl}/api/v1/instance/acme-prod/messages/${response.body.key.id}/media`, { headers: { authorization: await keyHeader() } })
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true)
  })

  it('sends a multipart file upload as a document', async () => {
    const form = new FormData()
    form.set('number', ALICE)
    form.set('mediatype', 'document')
    form.set('file', new Blob([Buffer.from('%PDF-1.4 report body')], { type: 'application/pdf' }), 'report.pdf')
    const response = await api('acme-prod/message/sendMedia', { method: 'POST', body: form })
    expect(response.status, JSON.stringify(response.body)).toBe(201)
    const received = await aliceGot(response.body.key.id)
    expect(Buffer.from(received.media!.base64, 'base64').toString()).toBe('%PDF-1.4 report body')
    expect(JSON.stringify(received.message)).toContain('report.pdf')
  })

  it('fetches media from a URL in the worker', async () => {
    const server = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png' })
      response.end(PNG)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    afterAll(() => new Promise((resolve) => server.close(resolve)))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pixel.png`
    const response = await post('message/sendMedia', { number: ALICE, mediatype: 'image', media: url })
    expect(response.status, JSON.stringify(response.body)).toBe(201)
    const received = await aliceGot(response.body.key.id)
    expect(Buffer.from(received.media!.base64, 'base64').equals(PNG)).toBe(true)
  })

  it('refuses media over WhatsApp limits with 413, and media that is not what it claims with 400', async () => {
    const tooBig = Buffer.alloc(17 * 1024 * 1024, 1)
    const form = new FormData()
    form.set('number', ALICE)
    form.set('mediatype', 'image')
    form.set('file', new Blob([tooBig], { type: 'image/png' }), 'huge.png')
    const big = await api('acme-prod/message/sendMedia', { method: 'POST', body: form })
    expect(big.status).toBe(413)
    expect(big.body.error).toBe('payload_too_large')
    const mismatch = await post('message/sendMedia', { number: ALICE, mediatype: 'video', media: PNG.toString('base64') })
    expect(mismatch.status).toBe(400)
    const notBase64 = await post('message/sendMedia', { number: ALICE, mediatype: 'image', media: '%%%not base64%%%' })
    expect(notBase64.status).toBe(400)
    expect(notBase64.body.details[0].field).toBe('media')
  })
})

describe('receiving', () => {
  it('records an incoming text as MESSAGES_UPSERT in the documented shape', async () => {
    const sent = await sim.client.send(ALICE, { to: OWN, text: 'Hello!' })
    const event = await eventually(async () => (await eventsOf('MESSAGES_UPSERT')).find((row) => row.data.key.id === sent.id), 15_000)
    expect(event.data).toMatchObject({
      key: { remoteJid: `${ALICE}@s.whatsapp.net`, fromMe: false, id: sent.id },
      pushName: 'Alice',
      messageType: expect.stringMatching(/conversation|extendedTextMessage/),
      messageTimestamp: expect.any(Number),
    })
    expect(JSON.stringify(event.data.message)).toContain('Hello!')
  })

  it('records a text with NUL characters or a lone surrogate (shown as U+FFFD) and goes on receiving: no contact can jam an instance', async () => {
    const jammer = await sim.client.send(ALICE, { to: OWN, text: 'zero\u0000width\u0000' })
    // A lone surrogate (bytes that are not UTF-8, as a modified client can send) is refused by jsonb too.
    const surrogate = await sim.client.send(ALICE, { to: OWN, text: 'half \uD83D a smile' })
    const after = await sim.client.send(ALICE, { to: OWN, text: 'the next one' })
    const events = await eventually(async () => {
      const rows = await eventsOf('MESSAGES_UPSERT')
      const all = [jammer, surrogate, after].map((sent) => rows.find((row) => row.data.key.id === sent.id))
      return all.every(Boolean) ? all : undefined
    }, 15_000)
    expect(JSON.stringify(events[0]!.data.message)).toContain('zero\uFFFDwidth\uFFFD')
    expect(JSON.stringify(events[1]!.data.message)).toContain('half \uFFFD a smile')
    expect((await api('acme-prod/connectionState')).body.instance.state).toBe('open')
  })

  it('serves a received document through GET messages/{id}/media, decrypted', async () => {
    const bytes = Buffer.from('quarterly numbers, decrypted')
    const sent = await sim.client.send(ALICE, { to: OWN, media: { type: 'document', base64: bytes.toString('base64'), mimetype: 'text/plain', fileName: 'q3.txt' } })
    const event = await eventually(async () => (await eventsOf('MESSAGES_UPSERT')).find((row) => row.data.key.id === sent.id), 15_000)
    expect(event.data.media).toEqual({ mimetype: 'text/plain', url: `/api/v1/instance/acme-prod/messages/${sent.id}/media` })
    const response = await fetch(`${stack.baseUrl}${event.data.media.url}`, { headers: { authorization: (await keyHeader()) } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/plain')
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true)
  })

  it('marks received messages as read (the contact sees the receipt)', async () => {
    const sent = await sim.client.send(ALICE, { to: OWN, text: 'read me' })
    await eventually(async () => (await eventsOf('MESSAGES_UPSERT')).find((row) => row.data.key.id === sent.id), 15_000)
    const response = await post('chat/markMessageAsRead', { readMessages: [{ remoteJid: `${ALICE}@s.whatsapp.net`, fromMe: false, id: sent.id }] })
    expect(response.status).toBe(200)
    await eventually(async () => {
      const receipts = await sim.client.receipts(ALICE)
      return receipts.find((receipt) => receipt.id === sent.id && receipt.type === 'read')
    }, 10_000)
  })
})

describe('POST chat/whatsappNumbers', () => {
  it('says which numbers have WhatsApp', async () => {
    const response = await post('chat/whatsappNumbers', { numbers: [ALICE, NOBODY] })
    expect(response.status).toBe(200)
    expect(response.body).toEqual([
      { number: ALICE, exists: true, jid: `${ALICE}@s.whatsapp.net` },
      { number: NOBODY, exists: false, jid: null },
    ])
    expect((await post('chat/whatsappNumbers', { numbers: [] })).status).toBe(400)
  })
})

describe('a worker crash between accept and send', () => {
  it('neither loses nor duplicates the message: the next owner sends it once', async () => {
    const [worker] = stack.workers
    worker.kill('SIGKILL')
    await new Promise((resolve) => worker.once('exit', resolve))
    const pending = post('message/sendText', { number: ALICE, text: 'survives a crash' })
    // The message is accepted into the outbox while its owner is dead…
    await eventually(async () => {
      const [row] = await sql`select 1 from messages where message->'extendedTextMessage'->>'text' = 'survives a crash'`
      return row
    }, 10_000)
    // …and the next worker takes the instance over and sends it.
    stack.startWorker()
    const response = await pending
    const id = response.status === 201 ? response.body.key.id : response.body.details?.messageId
    expect(id, JSON.stringify(response.body)).toBeTruthy()
    await aliceGot(id)
    const copies = (await sim.client.messages(ALICE, { from: OWN })).filter((message) => JSON.stringify(message.message).includes('survives a crash'))
    expect(copies).toHaveLength(1)
  }, 60_000)
})

let cachedKeyHeader: string | undefined
async function keyHeader() {
  cachedKeyHeader ??= `Bearer ${mintKey(stack, account.email)}`
  return cachedKeyHeader
}
