// Sandbox instances, tested the way a customer's CI would: only the public API with an account key.
// The stack's worker talks to the sandbox service (one simulator world per account) for sandbox
// instances and to the test simulator (standing in for WhatsApp) for real ones.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'
import { startTestSimulator } from './support/simulator'
import { startReceiver } from './support/webhook-receiver'
import { createVerifiedAccount, sessionCookie } from '@/test-support/accounts'
import { mintKey } from '@/test-support/cli'
import { eventually } from '@/test-support/eventually'
import { startSandboxService } from '@/simulator/index'

const database = await useTestDatabase()
const sim = await startTestSimulator()
const sandboxService = await startSandboxService({ dataDir: mkdtempSync(join(tmpdir(), 'sage-sandbox-')) })
// The last test stops the service itself (a sandbox outage).
let sandboxServiceStopped = false
afterAll(() => (sandboxServiceStopped ? undefined : sandboxService.stop()))
const stack = await startStack({
  databaseUrl: database.url,
  env: { ...sim.env, SANDBOX_URL: sandboxService.url, SANDBOX_MAX_INSTANCES: '2', SANDBOX_SENDS_PER_MINUTE: '8', SANDBOX_MAX_MEDIA_BYTES: '1000' },
})

const acme = await createVerifiedAccount(database.url)
const rival = await createVerifiedAccount(database.url)
const acmeKey = mintKey(stack, acme.email, '--scope', 'account', '--rate-limit', '10000')
const rivalKey = mintKey(stack, rival.email, '--scope', 'account', '--rate-limit', '10000')

const CONTACT = '15550000001'

async function call(key: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${stack.baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  let json: any = text
  try {
    json = JSON.parse(text)
  } catch {}
  return { status: response.status, body: json, headers: response.headers }
}

/** What a CI job does first: a sandbox instance, linked, with a webhook. */
async function linkedSandbox(key: string, name: string) {
  const created = await call(key, 'POST', '/instances', { instanceName: name, sandbox: true })
  expect(created.status).toBe(201)
  expect(created.body.instance).toMatchObject({ name, sandbox: true, phoneNumber: null })
  expect((await call(key, 'GET', `/instances/${name}/connect`)).status).toBe(200)
  return eventually(async () => {
    const instance = await call(key, 'GET', `/instances/${name}`)
    return instance.body.state === 'open' ? instance.body : undefined
  }, 20_000, 100)
}

type Hook = { event: string; instance: string; sandbox?: boolean; data: any }
const hooks = (receiver: { received: { rawBody: string }[] }) => receiver.received.map((request) => JSON.parse(request.rawBody) as Hook)

describe('a sandbox instance in a CI test', () => {
  it('links itself, receives by webhook, replies, sees READ and a disconnect, in under 30 s', async () => {
    const startedAt = Date.now()
    const receiver = await startReceiver()
    const webhook = await call(acmeKey, 'POST', '/webhooks', { url: receiver.url, events: ['MESSAGES_UPSERT', 'MESSAGES_UPDATE', 'CONNECTION_UPDATE'] })
    expect(webhook.status).toBe(201)

    const open = await linkedSandbox(acmeKey, 'ci-sandbox')
    expect(open).toMatchObject({ statusCode: 'open', sandbox: true, phoneNumber: expect.stringMatching(/^15559\d{6}$/) })

    const contacts = await call(acmeKey, 'POST', '/instance/ci-sandbox/sandbox/contacts', {
      contacts: [{ number: CONTACT, name: 'Alice' }, { number: '15550000009', onWhatsApp: false }],
    })
    expect(contacts.status).toBe(200)
    expect(contacts.body.contacts).toMatchObject([{ number: CONTACT, onWhatsApp: true }, { number: '15550000009', onWhatsApp: false }])

    const received = await call(acmeKey, 'POST', '/instance/ci-sandbox/sandbox/receive', { from: CONTACT, text: 'Hi, is my order ready?' })
    expect(received.status).toBe(200)
    const inbound = await eventually(
      async () => hooks(receiver).find((hook) => hook.event === 'MESSAGES_UPSERT' && hook.data.key?.id === received.body.id),
      10_000,
      100,
    )
    expect(inbound).toMatchObject({ instance: 'ci-sandbox', sandbox: true, data: { key: { remoteJid: `${CONTACT}@s.whatsapp.net`, fromMe: false }, message: { conversation: 'Hi, is my order ready?' } } })

    // The contact answers no receipts by itself: the test drives them.
    expect((await call(acmeKey, 'POST', '/instance/ci-sandbox/sandbox/receipts', { from: CONTACT, type: 'never' })).status).toBe(200)
    const reply = await call(acmeKey, 'POST', '/instance/ci-sandbox/message/sendText', { number: CONTACT, text: 'Yes, it ships today.' })
    expect(reply.status).toBe(201)
    const replyId = reply.body.key.id
    const read = await call(acmeKey, 'POST', '/instance/ci-sandbox/sandbox/receipts', { from: CONTACT, ids: [replyId], type: 'read' })
    expect(read.status).toBe(200)
    await eventually(async () => (await call(acmeKey, 'GET', `/instance/ci-sandbox/messages/${replyId}`)).body.status === 'READ' || undefined, 10_000, 100)
    await eventually(async () => hooks(receiver).find((hook) => hook.event === 'MESSAGES_UPDATE' && hook.data.key?.id === replyId && hook.data.status === 'READ'), 10_000, 100)

    const before = hooks(receiver).filter((hook) => hook.event === 'CONNECTION_UPDATE').length
    expect((await call(acmeKey, 'POST', '/instance/ci-sandbox/sandbox/disconnect', { reason: 'connection_lost' })).status).toBe(200)
    const updates = await eventually(async () => {
      const seen = hooks(receiver).filter((hook) => hook.event === 'CONNECTION_UPDATE').slice(before)
      return seen.some((hook) => hook.data.state === 'close' || hook.data.state === 'connecting') && seen.some((hook) => hook.data.state === 'open') ? seen : undefined
    }, 15_000, 100)
    expect(updates.every((hook) => hook.sandbox === true)).toBe(true)
    expect(Date.now() - startedAt).toBeLessThan(30_000)
  })

  it('a contact sends media and a reaction: the media downloads from the sandbox media host', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
    const photo = await call(acmeKey, 'POST', '/instance/ci-sandbox/sandbox/receive', { from: CONTACT, media: { type: 'image', base64: png.toString('base64'), mimetype: 'image/png', caption: 'the parcel' } })
    expect(photo.status).toBe(200)
    const media = await eventually(async () => {
      const response = await fetch(`${stack.baseUrl}/api/v1/instance/ci-sandbox/messages/${photo.body.id}/media`, { headers: { authorization: `Bearer ${acmeKey}` } })
      return response.status === 200 ? Buffer.from(await response.arrayBuffer()) : undefined
    }, 10_000, 200)
    expect(media.equals(png)).toBe(true)

    const reaction = await call(acmeKey, 'POST', '/instance/ci-sandbox/sandbox/receive', { from: CONTACT, reaction: { messageId: photo.body.id, emoji: '👍', fromMe: false } })
    expect(reaction.status).toBe(200)
    const stored = await eventually(async () => {
      const message = await call(acmeKey, 'GET', `/instance/ci-sandbox/messages/${reaction.body.id}`)
      return message.status === 200 ? message.body : undefined
    }, 10_000, 200)
    expect(stored.message.reactionMessage).toMatchObject({ text: '👍', key: { id: photo.body.id } })
  })

  it('a contact votes on the instance’s poll: the vote arrives as WhatsApp sends it, announced with pollVote and tallied', async () => {
    const VOTER = '15550000002'
    expect((await call(acmeKey, 'POST', '/instance/ci-sandbox/sandbox/contacts', { contacts: [{ number: VOTER, name: 'Bob' }] })).status).toBe(200)
    const poll = await call(acmeKey, 'POST', '/instance/ci-sandbox/message/sendPoll', { number: VOTER, name: 'Pickup or delivery?', values: ['Pickup', 'Delivery'], selectableCount: 1 })
    expect(poll.status, JSON.stringify(poll.body)).toBe(201)
    const pollId = poll.body.key.id
    // Bob's phone confirms delivery by itself once the poll is in its inbox: only then can he vote on it.
    // (The send policy's defaults pace it first: a new chat waits out the gap and "typing…".)
    const delivered = ['DELIVERY_ACK', 'READ', 'PLAYED']
    await eventually(async () => (delivered.includes((await call(acmeKey, 'GET', `/instance/ci-sandbox/messages/${pollId}`)).body.status) ? true : undefined), 20_000, 100)

    const vote = await call(acmeKey, 'POST', '/instance/ci-sandbox/sandbox/receive', { from: VOTER, vote: { messageId: pollId, options: ['Delivery'] } })
    expect(vote.status, JSON.stringify(vote.body)).toBe(200)
    const announced = await eventually(async () => {
      const page = await call(acmeKey, 'GET', '/events?types=MESSAGES_UPDATE&instance=ci-sandbox&limit=100')
      return page.body.events.find((event: { data: any }) => event.data.key?.id === pollId && event.data.pollVote)
    }, 10_000, 100)
    expect(announced.data.pollVote).toMatchObject({ voter: `${VOTER}@s.whatsapp.net` })
    expect((await call(acmeKey, 'GET', `/instance/ci-sandbox/messages/${pollId}`)).body.poll.options).toEqual([
      { name: 'Pickup', votes: 0, voters: [] },
      { name: 'Delivery', votes: 1, voters: [`${VOTER}@s.whatsapp.net`] },
    ])

    // A vote for an option the poll does not have, or on a message that is no poll, is the sandbox's 400.
    const wrongOption = await call(acmeKey, 'POST', '/instance/ci-sandbox/sandbox/receive', { from: VOTER, vote: { messageId: pollId, options: ['Drone'] } })
    expect(wrongOption.status).toBe(400)
    expect(wrongOption.body.message).toContain('"Drone" is not an option')
    const both = await call(acmeKey, 'POST', '/instance/ci-sandbox/sandbox/receive', { from: VOTER, text: 'x', vote: { messageId: pollId, options: [] } })
    expect(both.status).toBe(400)
  })

  it('the virtual phone shows the sandbox chat outside demo mode, and only sandbox instances', async () => {
    expect((await call(acmeKey, 'POST', '/instances', { instanceName: 'acme-real' })).status).toBe(201)
    const cookie = await sessionCookie(database.url, acme.userId, stack.env.AUTH_SECRET!)
    const feed = await eventually(async () => {
      const response = await fetch(`${stack.baseUrl}/demo/phone/feed?instance=ci-sandbox&contact=${CONTACT}`, { headers: { cookie } })
      expect(response.status).toBe(200)
      const body = await response.json()
      return body.chat?.messages.some((message: { text?: string }) => message.text === 'Yes, it ships today.') ? body : undefined
    }, 10_000, 200)
    expect(feed.instances.map((instance: { name: string; sandbox: boolean }) => [instance.name, instance.sandbox])).toEqual([['ci-sandbox', true]])
    expect(feed.contacts.map((contact: { phone: string }) => contact.phone)).toContain(CONTACT)
    expect(feed.chat.messages.map((message: { direction: string; text?: string }) => [message.direction, message.text])).toEqual(
      expect.arrayContaining([
        ['out', 'Hi, is my order ready?'],
        ['in', 'Yes, it ships today.'],
      ]),
    )
  })

  it('isolates accounts: the same contact number in two accounts are two phones that see nothing of each other', async () => {
    await linkedSandbox(rivalKey, 'rival-sandbox')
    expect((await call(rivalKey, 'POST', '/instance/rival-sandbox/sandbox/contacts', { contacts: [{ number: CONTACT, name: 'Rival Alice' }] })).status).toBe(200)
    const rivalReceiver = await startReceiver()
    expect((await call(rivalKey, 'POST', '/webhooks', { url: rivalReceiver.url, events: ['MESSAGES_UPSERT'] })).status).toBe(201)

    const secret = await call(rivalKey, 'POST', '/instance/rival-sandbox/sandbox/receive', { from: CONTACT, text: 'for rival only' })
    expect(secret.status).toBe(200)
    await eventually(async () => hooks(rivalReceiver).find((hook) => hook.data.key?.id === secret.body.id), 10_000, 100)
    // acme's instance never got it, and its contact with the same number is another phone.
    const acmeMessages = await call(acmeKey, 'GET', `/instance/ci-sandbox/messages/${secret.body.id}`)
    expect(acmeMessages.status).toBe(404)
    expect(rivalReceiver.received.map((request) => JSON.parse(request.rawBody).instance)).toEqual(rivalReceiver.received.map(() => 'rival-sandbox'))
    // One account cannot drive another's sandbox instance.
    expect((await call(rivalKey, 'POST', '/instance/ci-sandbox/sandbox/receive', { from: CONTACT, text: 'x' })).status).toBe(404)
    expect(sandboxService.worlds.size).toBe(2)
  })

  it('a temporary ban: logins are refused with 402 until it ends, then the instance is back by itself', async () => {
    expect((await call(rivalKey, 'POST', '/instance/rival-sandbox/sandbox/disconnect', { reason: 'banned', banSeconds: 3 })).status).toBe(200)
    await eventually(async () => {
      const instance = await call(rivalKey, 'GET', '/instances/rival-sandbox')
      return instance.body.state !== 'open' && /402/.test(instance.body.statusReason ?? '') ? instance.body : undefined
    }, 10_000, 100)
    await eventually(async () => ((await call(rivalKey, 'GET', '/instances/rival-sandbox')).body.state === 'open' ? true : undefined), 20_000, 200)
  })

  it('refuses the control API on a real instance (404) and answers 429 over the sandbox limits', async () => {
    const onReal = await call(acmeKey, 'POST', '/instance/acme-real/sandbox/receive', { from: CONTACT, text: 'hello' })
    expect(onReal.status).toBe(404)
    expect(onReal.body.error).toBe('not_found')
    expect((await call(acmeKey, 'GET', '/instances/acme-real')).body.sandbox).toBe(false)
    for (const [body, field] of [
      [{ from: CONTACT, text: 'a', location: { latitude: 1, longitude: 2 } }, 'text'],
      [{ from: CONTACT, text: 'a\u0000b' }, 'text'],
      [{ from: 'nope', text: 'a' }, 'from'],
    ] as const) {
      const refused = await call(acmeKey, 'POST', '/instance/ci-sandbox/sandbox/receive', body)
      expect(refused.status).toBe(400)
      expect(refused.body.details.map((detail: { field: string }) => detail.field)).toContain(field)
    }

    // SANDBOX_MAX_INSTANCES=2: the second is allowed, the third is not.
    expect((await call(acmeKey, 'POST', '/instances', { instanceName: 'ci-sandbox-2', sandbox: true })).status).toBe(201)
    const third = await call(acmeKey, 'POST', '/instances', { instanceName: 'ci-sandbox-3', sandbox: true })
    expect(third.status).toBe(429)
    expect(third.body).toMatchObject({ error: 'rate_limited', details: { limit: 'sandbox_instances', max: 2 } })

    const bigMedia = await call(acmeKey, 'POST', '/instance/ci-sandbox/sandbox/receive', { from: CONTACT, media: { type: 'document', base64: Buffer.alloc(2000).toString('base64'), fileName: 'big.bin' } })
    expect(bigMedia.status).toBe(429)
    expect(bigMedia.body).toMatchObject({ error: 'rate_limited', details: { limit: 'sandbox_media_bytes', max: 1000 } })

    // SANDBOX_SENDS_PER_MINUTE=8, and the tests before used four of them.
    let refused: Awaited<ReturnType<typeof call>> | undefined
    for (let attempt = 0; attempt < 10 && !refused; attempt++) {
      const sent = await call(acmeKey, 'POST', '/instance/ci-sandbox/sandbox/receive', { from: CONTACT, text: `burst ${attempt}` })
      if (sent.status === 429) refused = sent
      else expect(sent.status).toBe(200)
    }
    expect(refused?.body).toMatchObject({ error: 'rate_limited', details: { limit: 'sandbox_messages_per_minute', max: 8 } })
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('a logout from the phone: the instance shows logged out with CONNECTION_UPDATE close, and links again', async () => {
    const receiver = await startReceiver()
    expect((await call(rivalKey, 'POST', '/webhooks', { url: receiver.url, events: ['CONNECTION_UPDATE'], instance: 'rival-sandbox' })).status).toBe(201)
    expect((await call(rivalKey, 'POST', '/instance/rival-sandbox/sandbox/disconnect', { reason: 'logged_out' })).status).toBe(200)
    const loggedOut = await eventually(async () => {
      const instance = await call(rivalKey, 'GET', '/instances/rival-sandbox')
      return instance.body.statusCode === 'logged_out' ? instance.body : undefined
    }, 15_000, 100)
    expect(loggedOut.state).toBe('close')
    const update = await eventually(async () => hooks(receiver).find((hook) => hook.event === 'CONNECTION_UPDATE' && hook.data.state === 'close'), 10_000, 100)
    expect(update).toMatchObject({ instance: 'rival-sandbox', sandbox: true })
    // It stays logged out (no reconnect by itself) until linked again.
    expect((await call(rivalKey, 'GET', '/instances/rival-sandbox')).body.statusCode).toBe('logged_out')
    // Linking again is one call, as at first.
    expect((await call(rivalKey, 'GET', '/instances/rival-sandbox/connect')).status).toBe(200)
    await eventually(async () => ((await call(rivalKey, 'GET', '/instances/rival-sandbox')).body.state === 'open' ? true : undefined), 20_000, 200)
  })

  it('a sandbox service that is down: 503 unavailable with the documented body on the control API, never a 500', async () => {
    await sandboxService.stop()
    sandboxServiceStopped = true
    for (const [path, body] of [
      ['/instance/rival-sandbox/sandbox/contacts', { contacts: [{ number: CONTACT }] }],
      ['/instance/rival-sandbox/sandbox/receive', { from: CONTACT, text: 'hello?' }],
      ['/instance/rival-sandbox/sandbox/receipts', { from: CONTACT, type: 'auto' }],
      ['/instance/rival-sandbox/sandbox/disconnect', { reason: 'connection_lost' }],
      ['/instance/rival-sandbox/sandbox/calls', { from: CONTACT }],
    ] as const) {
      const refused = await call(rivalKey, 'POST', path, body)
      expect(refused.status, path).toBe(503)
      expect(refused.body).toMatchObject({ error: 'unavailable', message: expect.stringContaining('sandbox service'), requestId: expect.any(String) })
    }
    // The instance itself loses its connection and says so, without taking anything else down.
    await eventually(async () => ((await call(rivalKey, 'GET', '/instances/rival-sandbox')).body.state !== 'open' ? true : undefined), 20_000, 200)
    expect((await call(acmeKey, 'GET', '/instances/acme-real')).status).toBe(200)
  })
})
