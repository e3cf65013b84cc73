// Every curl example the docs page shows, run with the real curl binary against a running stack and
// the WhatsApp simulator (base URL, instance, key and ids filled in), answers its documented status
// with a body that matches the documented schema. Webhook deliveries and recorded events match the
// documented payloads, and the docs' own verification snippets (Node and Python) accept a delivery.
import { execFile, spawnSync } from 'node:child_process'
import { promisify } from 'node:util'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { eventually } from '@/test-support/eventually'
import { startStack } from './support/stack'
import { startTestSimulator } from './support/simulator'
import { launchBrowser } from './support/browser'
import { cookieHeader, logIn } from './support/accounts'
import { dataPlane } from '@/test-support/data-plane'
import { mintKey } from '@/test-support/cli'
import { pairInstance } from '@/test-support/pairing'
import { startReceiver } from './support/webhook-receiver'
import { startSandboxService } from '@/simulator/index'
import { swellingToneWav } from '@/test-support/audio'

const database = await useTestDatabase()
const sim = await startTestSimulator()
const sandbox = await startSandboxService({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'sage-docs-sandbox-')) })
afterAll(sandbox.stop)
const stack = await startStack({ databaseUrl: database.url, env: { ...sim.env, SANDBOX_URL: sandbox.url } })
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end({ timeout: 5 }))

const { ENDPOINTS, PLACEHOLDER_CONTEXT } = await import('@/lib/api/openapi/registry')
const { curlSnippet } = await import('@/lib/api/openapi/snippets')
const { VERIFY_NODE, VERIFY_PYTHON, WEBHOOK_EVENT_DATA, webhookPayloadSchema } = await import('@/lib/api/openapi/webhook-events')
const { createUser } = await import('@/lib/services/accounts/users')

const OWN = '15551110000'
const ALICE = '919876543210'
const BOB = '447700900123'
const PASSWORD = 'docs examples passphrase'
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

// The account: a verified user with a session (for the account plane), an instance and a key.
const email = 'docs-examples@example.com'
const user = await createUser({ email, password: PASSWORD, verified: true })
await sql`insert into instances (user_id, name) values (${user.id}, 'acme-prod')`
const browser = await launchBrowser()
const browserContext = await browser.newContext()
const loginPage = await browserContext.newPage()
await logIn(loginPage, stack.baseUrl, email, PASSWORD)
const cookie = await cookieHeader(browserContext)
await browserContext.close()
// An account key: it runs the data-plane examples and the account-key ones (webhooks, instances, keys) alike.
const apiKey = mintKey(stack, email, '--scope', 'account', '--rate-limit', '10000')
const api = dataPlane(stack, apiKey)
await sim.client.createAccount(ALICE, 'Alice')
await sim.client.createAccount(BOB, 'Bob')
await pairInstance(api, sim, 'acme-prod', OWN)
// The sandbox examples' instance: its sandbox phone links itself at connect.
await sql`insert into instances (user_id, name, sandbox) values (${user.id}, 'acme-sandbox', true)`
expect((await api('acme-sandbox/connect')).status).toBe(200)
await eventually(async () => ((await api('acme-sandbox/connectionState')).body.instance?.state === 'open' ? true : undefined), 30_000, 200)

// A voice note's source, converted to Ogg/Opus by the worker.
const WAV = swellingToneWav(1)
const mediaServer = http.createServer((request, response) => {
  if (request.url === '/voice.wav') response.writeHead(200, { 'content-type': 'audio/wav' }).end(WAV)
  else response.writeHead(200, { 'content-type': 'image/png' }).end(PNG)
})
await new Promise<void>((resolve) => mediaServer.listen(0, '127.0.0.1', resolve))
afterAll(() => new Promise((resolve) => mediaServer.close(resolve)))
const receiver = await startReceiver()

const context = {
  ...PLACEHOLDER_CONTEXT,
  instance: 'acme-prod',
  number: ALICE,
  receivedFrom: ALICE,
  mediaUrl: `http://127.0.0.1:${(mediaServer.address() as AddressInfo).port}/menu.png`,
  audioUrl: `http://127.0.0.1:${(mediaServer.address() as AddressInfo).port}/voice.wav`,
  webhookUrl: receiver.url,
}

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage-docs-examples-'))
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }))

type CurlResult = { command: string; status: number; headers: string; body: string; json: any }

/**
 * Runs the docs' curl example of an endpoint as a shell command, with output options appended.
 * Asynchronously: the simulator lives in this process and must keep answering meanwhile.
 */
async function runExample(endpointId: string): Promise<CurlResult> {
  const endpoint = ENDPOINTS.find((candidate) => candidate.id === endpointId)!
  const command = curlSnippet(endpoint, context, stack.baseUrl, { apiKey, cookie })
  const dir = fs.mkdtempSync(path.join(workDir, `${endpointId}-`))
  const extra = endpoint.stream ? ' --max-time 3' : ''
  const stdout = await promisify(execFile)('bash', ['-c', `${command} -sS -D headers.txt -w '\\n%{http_code}'${extra}`], { cwd: dir, encoding: 'utf8', timeout: 60_000 }).then(
    (result) => result.stdout,
    (error: { code?: number; stdout?: string }) => {
      // curl exits 28 when --max-time ends an event stream; what it printed still counts.
      if (endpoint.stream && error.code === 28 && error.stdout) return error.stdout
      throw error
    },
  )
  const lines = stdout.split('\n')
  const status = Number(lines.pop())
  const body = lines.join('\n')
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {}
  return { command, status, headers: fs.readFileSync(path.join(dir, 'headers.txt'), 'utf8'), body, json }
}

const ran = new Set<string>()

/** Runs the example and checks the documented status and response schema. */
async function expectDocumented(endpointId: string): Promise<CurlResult> {
  const endpoint = ENDPOINTS.find((candidate) => candidate.id === endpointId)!
  const result = await runExample(endpointId)
  const where = `${endpointId}: ${result.command}\n→ ${result.status} ${result.body.slice(0, 500)}`
  expect(result.status, where).toBe(endpoint.response.status)
  if (endpoint.response.schema) expect(endpoint.response.schema.safeParse(result.json).error, where).toBeUndefined()
  else if (endpoint.response.contentType === 'text/event-stream') expect(result.body, where).toMatch(endpoint.id === 'event-stream' ? /^id: \d+\nevent: [A-Z_]+\ndata: \{/m : /^event: state\ndata: \{/m)
  expect(result.headers.toLowerCase(), where).toContain('x-request-id:')
  if (endpoint.auth === 'instanceKey' || endpoint.auth === 'key' || endpoint.auth === 'accountKey' || endpoint.auth === 'webhookKey') expect(result.headers.toLowerCase(), where).toContain('x-ratelimit-remaining:')
  ran.add(endpointId)
  return result
}

async function eventOf(type: string, match: (data: any) => boolean) {
  return eventually(async () => (await sql`select data from instance_events where event = ${type} order by seq`).find((row) => match(row.data))?.data, 15_000)
}

describe('every curl example on /docs', () => {
  it('public and account-plane examples', async () => {
    expect(spawnSync('curl', ['--version']).status, 'the curl binary is installed').toBe(0)
    await expectDocumented('status')
    await expectDocumented('openapi')
    await expectDocumented('list-instances')
    await expectDocumented('get-instance')
    await expectDocumented('create-instance')
    await expectDocumented('delete-instance')
    await expectDocumented('instance-events')
    await expectDocumented('export-own-account')
  })

  it('instance and messaging examples', async () => {
    await expectDocumented('connection-state')
    await expectDocumented('connect')
    context.sentMessageId = (await expectDocumented('send-text')).json.key.id
    await expectDocumented('send-media')
    await expectDocumented('send-location')
    await expectDocumented('send-contact')
    await expectDocumented('send-reaction')
    expect((await expectDocumented('get-message')).json.key.id).toBe(context.sentMessageId)
    const later = new Date(Date.now() + 3_600_000).toISOString()
    context.scheduledMessageId = (await api('acme-prod/message/sendText', { method: 'POST', body: JSON.stringify({ number: ALICE, text: 'Later', sendAt: later }) })).body.key.id
    expect((await expectDocumented('list-scheduled')).json.messages.map((message: { key: { id: string } }) => message.key.id)).toEqual([context.scheduledMessageId])
    expect((await expectDocumented('cancel-message')).json.status).toBe('CANCELLED')
    expect((await expectDocumented('update-message')).json.editHistory).toHaveLength(1)
    const poll = (await expectDocumented('send-poll')).json.key.id
    await eventually(async () => ((await sim.client.messages(ALICE)).some((message) => message.id === poll) ? true : undefined), 15_000)
    await sim.client.send(ALICE, { to: OWN, vote: { messageId: poll, options: ['Pizza'] } })
    await eventOf('POLL_VOTE', (data) => data.key.id === poll)
    await expectDocumented('send-whatsapp-audio')
    await expectDocumented('send-sticker')
    await expectDocumented('forward-message')
    expect((await expectDocumented('delete-message-for-everyone')).json.deletedAt).toEqual(expect.any(String))

    const media = await sim.client.send(ALICE, { to: OWN, media: { type: 'image', base64: PNG.toString('base64'), mimetype: 'image/png' } })
    await eventOf('MESSAGES_UPSERT', (data) => data.key.id === media.id)
    context.mediaMessageId = media.id
    await expectDocumented('get-message-media')
    const downloaded = fs.readdirSync(workDir).find((name) => name.startsWith('get-message-media-'))!
    expect(fs.readFileSync(path.join(workDir, downloaded, 'media.bin')).equals(PNG)).toBe(true)

    expect((await expectDocumented('whatsapp-numbers')).json).toEqual([{ number: ALICE, exists: true, jid: `${ALICE}@s.whatsapp.net` }])
    const received = await sim.client.send(ALICE, { to: OWN, text: 'Hello!' })
    await eventOf('MESSAGES_UPSERT', (data) => data.key.id === received.id)
    context.receivedMessageId = received.id
    expect((await expectDocumented('mark-as-read')).json).toEqual({ read: 1 })
    expect((await expectDocumented('chat-find-messages')).json.messages.map((m: { key: { id: string } }) => m.key.id)).toContain(received.id)
    expect((await expectDocumented('chat-find-chats')).json.chats.map((c: { remoteJid: string }) => c.remoteJid)).toContain(`${ALICE}@s.whatsapp.net`)
    expect((await expectDocumented('chat-find-contacts')).json.contacts).toMatchObject([{ remoteJid: `${ALICE}@s.whatsapp.net`, pushName: 'Alice' }])
    expect((await expectDocumented('chat-fetch-profile-picture-url')).json).toEqual({ jid: `${ALICE}@s.whatsapp.net`, profilePictureUrl: null })
    expect((await expectDocumented('chat-fetch-profile')).json).toMatchObject({ jid: `${ALICE}@s.whatsapp.net`, about: 'Hey there! I am using WhatsApp.', business: null })
    expect((await expectDocumented('chat-send-presence')).json).toMatchObject({ jid: `${ALICE}@s.whatsapp.net`, presence: 'composing', until: expect.any(String) })
    expect((await expectDocumented('chat-subscribe-presence')).json).toEqual({ jid: `${ALICE}@s.whatsapp.net`, subscribed: true })
    await sim.client.sendChatState(ALICE, OWN, 'composing')
    await eventOf('PRESENCE_UPDATE', (data) => data.presences?.[`${ALICE}@s.whatsapp.net`]?.lastKnownPresence === 'composing')
    expect((await expectDocumented('chat-update-profile-name')).json).toMatchObject({ name: 'Acme Support' })
    expect((await expectDocumented('chat-update-profile-status')).json).toMatchObject({ status: 'Open 9:00–17:00' })
    expect((await expectDocumented('chat-update-profile-picture')).json).toMatchObject({ picture: true })
    expect((await expectDocumented('chat-remove-profile-picture')).json).toMatchObject({ picture: false })
    // sending to ALICE taught the instance her LID (usync)
    expect((await expectDocumented('chat-lid')).json).toMatchObject({ number: ALICE, jid: `${ALICE}@s.whatsapp.net`, lid: expect.stringMatching(/^\d+@lid$/) })

    expect((await expectDocumented('settings-set')).json.settings.settings).toMatchObject({ rejectCall: true })
    expect((await expectDocumented('settings-find')).json).toMatchObject({ rejectCall: true })
    expect((await expectDocumented('proxy-set')).json.proxy.proxy).toMatchObject({ enabled: false, hasPassword: false })
    expect((await expectDocumented('proxy-find')).json).toMatchObject({ enabled: false })
  })

  it('sandbox examples', async () => {
    expect((await expectDocumented('sandbox-contacts')).json.contacts).toMatchObject([{ number: context.sandboxContact, onWhatsApp: true }])
    const received = (await expectDocumented('sandbox-receive')).json
    await eventOf('MESSAGES_UPSERT', (data) => data.key.id === received.id)
    await expectDocumented('sandbox-receipts')
    await expectDocumented('sandbox-calls')
    await expectDocumented('sandbox-disconnect')
    await eventually(async () => ((await api('acme-sandbox/connectionState')).body.instance?.state === 'open' ? true : undefined), 30_000, 200)
  })

  it('webhook API examples; the delivery matches the documented payload and the docs’ Node and Python snippets verify it', async () => {
    const created = (await expectDocumented('create-webhook')).json
    context.webhookId = created.id
    await expectDocumented('list-webhooks')
    await expectDocumented('get-webhook')
    await expectDocumented('update-webhook')
    const before = receiver.received.length
    context.deliveryId = (await expectDocumented('test-webhook')).json.id
    // Other events (messages) may arrive first: wait for the test event itself.
    const delivery = await eventually(async () => receiver.received.slice(before).find((request) => request.headers['x-sage-event'] === 'WEBHOOK_TEST'), 15_000)
    expect(delivery.headers['x-sage-delivery']).toBe(context.deliveryId)
    const payload = JSON.parse(delivery.rawBody)
    expect(webhookPayloadSchema(WEBHOOK_EVENT_DATA.WEBHOOK_TEST.schema).safeParse(payload).error).toBeUndefined()

    const nodeFile = path.join(workDir, 'verify.mjs')
    fs.writeFileSync(nodeFile, VERIFY_NODE)
    const { verifySageWebhook } = await import(pathToFileURL(nodeFile).href)
    expect(verifySageWebhook({ headers: delivery.headers, rawBody: delivery.rawBody }, created.secret)).toBe(true)
    expect(() => verifySageWebhook({ headers: delivery.headers, rawBody: `${delivery.rawBody} ` }, created.secret)).not.toThrow()
    expect(verifySageWebhook({ headers: delivery.headers, rawBody: `${delivery.rawBody} ` }, created.secret)).toBe(false)

    const pythonFile = path.join(workDir, 'verify.py')
    fs.writeFileSync(
      pythonFile,
      `${VERIFY_PYTHON}\n\nimport base64, json, sys\nm = json.load(sys.stdin)\nprint(verify_sage_webhook(m["headers"], base64.b64decode(m["raw_body"]), m["secret"]))\n`,
    )
    const python = (rawBody: string) =>
      spawnSync('python3', [pythonFile], { input: JSON.stringify({ headers: delivery.headers, raw_body: Buffer.from(rawBody).toString('base64'), secret: created.secret }), encoding: 'utf8' })
    expect(python(delivery.rawBody).stdout.trim()).toBe('True')
    expect(python(`${delivery.rawBody} `).stdout.trim()).toBe('False')

    await expectDocumented('list-deliveries')
    await expectDocumented('get-delivery')
    await expectDocumented('resend-delivery')
    await expectDocumented('rotate-webhook-secret')
  })

})

describe('group examples', () => {
  it('create a group, read it, change it, share and use its invite link, handle join requests, leave it', async () => {
    context.memberNumber = BOB
    context.groupJid = (await expectDocumented('group-create')).json.id
    expect((await expectDocumented('group-fetch-all')).json.some((group: { id: string }) => group.id === context.groupJid)).toBe(true)
    await expectDocumented('group-info')
    await expectDocumented('group-participants')
    expect((await expectDocumented('group-update-participant')).json.updateParticipants).toEqual([{ number: BOB, jid: `${BOB}@s.whatsapp.net`, status: 'added', code: 200 }])
    expect((await expectDocumented('group-update-subject')).json.subject).toBe('Acme VIP customers')
    await expectDocumented('group-update-description')
    await expectDocumented('group-update-picture')
    expect((await expectDocumented('group-update-setting')).json.announce).toBe(true)
    expect((await expectDocumented('group-toggle-ephemeral')).json.ephemeralDuration).toBe(604800)
    await expectDocumented('group-invite-code')
    context.inviteCode = (await expectDocumented('group-revoke-invite-code')).json.inviteCode
    expect((await expectDocumented('group-invite-info')).json.id).toBe(context.groupJid)
    // the instance is in the group already: accepting its own link changes nothing
    expect((await expectDocumented('group-accept-invite')).json).toEqual({ accepted: true, pendingApproval: false, groupJid: context.groupJid })
    expect((await expectDocumented('group-join-requests')).json).toEqual({ requests: [] })
    expect((await expectDocumented('group-update-join-requests')).json.results[0].status).toBe('no_request')
    await expectDocumented('group-leave')
  })

  it('block a contact and list the blocklist', async () => {
    context.memberNumber = BOB
    expect((await expectDocumented('chat-update-block-status')).json).toEqual({ jid: `${BOB}@s.whatsapp.net`, status: 'blocked' })
    expect((await expectDocumented('chat-fetch-blocklist')).json.blocked).toEqual([{ jid: `${BOB}@s.whatsapp.net`, lid: expect.stringMatching(/@lid$/) }])
  })
})

describe('chat action examples', () => {
  it('archive, pin, mute, mark unread and delete the chat with the contact the examples wrote to', async () => {
    expect((await expectDocumented('chat-archive')).json).toMatchObject({ remoteJid: `${ALICE}@s.whatsapp.net`, archived: true })
    expect((await expectDocumented('chat-pin')).json.pinned).toBe(true)
    expect((await expectDocumented('chat-mute')).json.muted).toBe(true)
    expect((await expectDocumented('chat-mark-unread')).json.markedUnread).toBe(true)
    expect((await expectDocumented('chat-delete')).json.deleted).toBe(true)
  })
})

describe('platform API and event log examples', () => {
  it('create, read, change, pair and delete an instance; mint, read, edit and revoke an instance key; read and stream the log', async () => {
    context.newInstance = 'acme-eu'
    await expectDocumented('platform-create-instance')
    await expectDocumented('platform-list-instances')
    await expectDocumented('platform-get-instance')
    await expectDocumented('platform-update-instance')
    expect((await expectDocumented('platform-connect')).json.code).toEqual(expect.any(String))
    context.keyId = (await expectDocumented('create-key')).json.id
    await expectDocumented('list-keys')
    await expectDocumented('get-key')
    await expectDocumented('update-key')
    await expectDocumented('revoke-key')
    expect((await expectDocumented('list-events')).json.events.length).toBeGreaterThan(0)
    await expectDocumented('event-stream')
    const ticket = (await expectDocumented('event-stream-ticket')).json.ticket
    // The ticket does what the docs say: it opens the stream once, without the key.
    const withTicket = await fetch(`${stack.baseUrl}/api/v1/events/stream?ticket=${ticket}&after=0`)
    expect(withTicket.status).toBe(200)
    await withTicket.body?.cancel()
    expect((await fetch(`${stack.baseUrl}/api/v1/events/stream?ticket=${ticket}&after=0`)).status).toBe(401)
    await expectDocumented('export-account')
    context.exportId = (await expectDocumented('start-export')).json.id
    await eventually(async () => ((await api(`../export/${context.exportId}`)).body.status === 'ready' ? true : undefined), 30_000)
    expect((await expectDocumented('get-export')).json.status).toBe('ready')
    // The downloads go to their file (curl -o), as the documented example writes them.
    await expectDocumented('download-export')
    await expectDocumented('download-own-export')
    await expectDocumented('platform-delete-instance')
  })
})

describe('webhook payloads as documented', () => {
  it('every event recorded while the examples ran matches its documented data, and deliveries match the envelope', async () => {
    const group = await sim.client.createGroup({ creator: ALICE, subject: 'Docs readers', participants: [OWN] })
    await sim.client.groupSubject(group.jid, { by: ALICE, subject: 'Docs readers (renamed)' })
    await sim.client.groupParticipants(group.jid, { by: ALICE, action: 'add', participants: [BOB] })
    const required = ['MESSAGES_UPSERT', 'MESSAGES_UPDATE', 'POLL_VOTE', 'SEND_MESSAGE_UPDATE', 'CONNECTION_UPDATE', 'QRCODE_UPDATED', 'GROUPS_UPSERT', 'GROUP_UPDATE', 'GROUP_PARTICIPANTS_UPDATE', 'CHATS_UPDATE', 'CHATS_DELETE']
    const events = await eventually(async () => {
      const rows = await sql`select event, data from instance_events order by seq`
      return required.every((type) => rows.some((row) => row.event === type)) ? rows : undefined
    }, 20_000)
    for (const row of events) {
      const documented = WEBHOOK_EVENT_DATA[row.event as keyof typeof WEBHOOK_EVENT_DATA]
      expect(documented, row.event).toBeDefined()
      expect(documented.schema.safeParse(row.data).error, `${row.event} ${JSON.stringify(row.data).slice(0, 300)}`).toBeUndefined()
    }
    for (const request of receiver.received) {
      const payload = JSON.parse(request.rawBody)
      const documented = WEBHOOK_EVENT_DATA[payload.event as keyof typeof WEBHOOK_EVENT_DATA]
      expect(webhookPayloadSchema(documented.schema).safeParse(payload).error, request.rawBody.slice(0, 300)).toBeUndefined()
      expect(request.headers['x-sage-event']).toBe(payload.event)
      expect(request.headers['x-sage-instance']).toBe(payload.instance)
    }
  })
})

describe('the examples that change the instance, last', () => {
  it('resume, restart, logout and delete last (they change what the others need)', async () => {
    await expectDocumented('resume')
    await expectDocumented('restart')
    await eventually(async () => ((await api('acme-prod/connectionState')).body.instance?.state === 'open' ? true : undefined), 30_000, 200)
    await expectDocumented('logout')
    await expectDocumented('delete-webhook')
    expect([...ran].sort()).toEqual(ENDPOINTS.map((endpoint) => endpoint.id).sort())
  })
})
