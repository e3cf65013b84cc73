// Webhooks over the API with a key, and `sage webhook:create`, through a real web process.
import { runCli } from '@/test-support/cli'
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { eventually } from '@/test-support/eventually'
import { startStack } from './support/stack'
import { createVerifiedAccount } from '@/test-support/accounts'
import { startReceiver } from './support/webhook-receiver'
import { dispatchWebhooksInThisProcess } from './support/dispatcher-in-process'
import { verifiesInNode, verifySageWebhookInPython } from '@/test-support/sage-verify'

const database = await useTestDatabase()
const stack = await startStack({
  databaseUrl: database.url,
  env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RETRY_SCHEDULE_MS: '200,400' },
})
// Deliveries are made by this test process's own dispatcher (the worker's code, same database and key),
// so the test does not depend on how the worker process is wired.
process.env.SAGE_ENCRYPTION_KEY = stack.env.SAGE_ENCRYPTION_KEY
process.env.WEBHOOK_ALLOW_PRIVATE_URLS = 'true'
process.env.WEBHOOK_RETRY_SCHEDULE_MS = '200,400'
dispatchWebhooksInThisProcess()

const sage = (env: Record<string, string>, ...args: string[]) => runCli({ ...stack.env, LOG_LEVEL: 'warn', ...env }, ...args)

// The webhook API takes an account key or an unpinned instance key; a pinned key gets 403 insufficient_scope.
function mint(email: string, ...options: string[]): string {
  const result = sage({}, 'key:create', '--email', email, ...(options.length ? options : ['--scope', 'account']))
  expect(result.status, result.stderr).toBe(0)
  return result.lastLine
}

async function api(key: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${stack.baseUrl}/api/v1/webhooks${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers }
}

const alice = await createVerifiedAccount(database.url, { instances: ['acme-prod', 'acme-staging'] })
const bob = await createVerifiedAccount(database.url, { instances: ['bob-shop'] })
const aliceKey = mint(alice.email)
const bobKey = mint(bob.email)

describe('/api/v1/webhooks', () => {
  it('an unpinned instance key (what every key was before scopes) manages webhooks as before; a pinned one gets 403 insufficient_scope', async () => {
    const legacyKey = mint(alice.email, '--scope', 'instance')
    const pinnedKey = mint(alice.email, '--instances', 'acme-prod')
    const created = await api(legacyKey, 'POST', '', { url: 'http://127.0.0.1:9/legacy', events: ['MESSAGES_UPSERT'] })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const id = created.body.id
    expect((await api(legacyKey, 'GET', '')).body.webhooks.map((webhook: { id: string }) => webhook.id)).toContain(id)
    expect((await api(legacyKey, 'PATCH', `/${id}`, { enabled: false })).body.enabled).toBe(false)
    expect((await api(legacyKey, 'GET', `/${id}/deliveries`)).status).toBe(200)

    for (const [method, path, body] of [
      ['GET', '', undefined],
      ['POST', '', { url: 'http://127.0.0.1:9/pinned', events: ['MESSAGES_UPSERT'], instance: 'acme-prod' }],
      ['GET', `/${id}`, undefined],
      ['PATCH', `/${id}`, { enabled: true }],
      ['DELETE', `/${id}`, undefined],
      ['POST', `/${id}/test`, undefined],
      ['POST', `/${id}/rotate-secret`, undefined],
      ['GET', `/${id}/deliveries`, undefined],
      ['GET', `/${id}/deliveries/${crypto.randomUUID()}`, undefined],
      ['POST', `/${id}/deliveries/${crypto.randomUUID()}/resend`, undefined],
    ] as const) {
      const refused = await api(pinnedKey, method, path, body)
      expect({ method, path, status: refused.status, error: refused.body.error }).toEqual({ method, path, status: 403, error: 'insufficient_scope' })
      expect(refused.body.message).toContain('pinned')
      expect(refused.headers.get('x-ratelimit-remaining')).not.toBeNull()
    }
    // Refused means untouched.
    expect((await api(legacyKey, 'GET', `/${id}`)).body.enabled).toBe(false)
    expect((await api(legacyKey, 'DELETE', `/${id}`)).status).toBe(200)
    expect((await api(legacyKey, 'GET', `/${id}`)).status).toBe(404)
  })

  it('creates an endpoint (default events, secret once), lists, reads, patches, rotates and deletes it', async () => {
    const receiver = await startReceiver()
    const create = await api(aliceKey, 'POST', '', { url: receiver.url })
    expect(create.status).toBe(201)
    expect(create.headers.get('x-ratelimit-limit')).toBe('60')
    expect(create.body).toMatchObject({
      url: receiver.url,
      events: ['MESSAGES_UPSERT', 'SEND_MESSAGE_UPDATE', 'CONNECTION_UPDATE'],
      instance: null,
      enabled: true,
      disabledReason: null,
      previousSecretExpiresAt: null,
    })
    const { id, secret } = create.body
    expect(secret).toMatch(/^whsec_/)

    const list = await api(aliceKey, 'GET', '')
    expect(list.status).toBe(200)
    expect(list.body.webhooks).toHaveLength(1)
    expect(JSON.stringify(list.body)).not.toContain(secret)
    const one = await api(aliceKey, 'GET', `/${id}`)
    expect(one.status).toBe(200)
    expect(one.body.secret).toBeUndefined()
    expect(JSON.stringify(one.body)).not.toContain(secret)

    const patch = await api(aliceKey, 'PATCH', `/${id}`, { events: ['QRCODE_UPDATED', 'MESSAGES_UPSERT'], instance: 'acme-staging', enabled: false })
    expect(patch.status).toBe(200)
    expect(patch.body).toMatchObject({ events: ['MESSAGES_UPSERT', 'QRCODE_UPDATED'], instance: 'acme-staging', enabled: false })
    expect((await api(aliceKey, 'PATCH', `/${id}`, { instance: null, enabled: true })).body).toMatchObject({ instance: null, enabled: true })

    const rotate = await api(aliceKey, 'POST', `/${id}/rotate-secret`)
    expect(rotate.status).toBe(200)
    expect(rotate.body.secret).toMatch(/^whsec_/)
    expect(rotate.body.secret).not.toBe(secret)
    expect(rotate.body.previousSecretExpiresAt).not.toBeNull()

    const test = await api(aliceKey, 'POST', `/${id}/test`)
    expect(test.status).toBe(202)
    expect(test.body).toMatchObject({ event: 'WEBHOOK_TEST', instance: 'acme-prod', status: 'pending' })
    const [request] = await receiver.waitFor(1)
    expect(request.headers['x-sage-delivery']).toBe(test.body.id)
    expect(verifiesInNode(request, rotate.body.secret)).toBe(true)
    expect(await verifySageWebhookInPython(request.headers, request.rawBody, rotate.body.secret)).toBe(true)
    expect(await verifySageWebhookInPython({ ...request.headers, 'x-sage-signature': request.headers['x-sage-signature-previous'] }, request.rawBody, secret)).toBe(true)

    const deliveries = await eventually(async () => {
      const page = await api(aliceKey, 'GET', `/${id}/deliveries`)
      return page.body.deliveries[0]?.status === 'succeeded' ? page : undefined
    })
    expect(deliveries.body.deliveries[0]).toMatchObject({ id: test.body.id, attempts: 1, lastAttempt: { statusCode: 200, responseSnippet: 'ok' } })
    expect(deliveries.body.nextCursor).toBeNull()

    const resend = await api(aliceKey, 'POST', `/${id}/deliveries/${test.body.id}/resend`)
    expect(resend.status).toBe(202)
    const [, again] = await receiver.waitFor(2)
    expect(again.headers['x-sage-delivery']).toBe(test.body.id)
    const detail = await eventually(async () => {
      const response = await api(aliceKey, 'GET', `/${id}/deliveries/${test.body.id}`)
      return response.body.attemptLog.length === 2 ? response : undefined
    })
    expect(detail.body.payload).toMatchObject({ event: 'WEBHOOK_TEST', id: test.body.eventId })

    const deleted = await api(aliceKey, 'DELETE', `/${id}`)
    expect(deleted.status).toBe(200)
    expect((await api(aliceKey, 'GET', `/${id}`)).status).toBe(404)
    expect((await api(aliceKey, 'GET', `/${id}/deliveries`)).status).toBe(404)
  })

  it('paginates the delivery log and filters it by status', async () => {
    const receiver = await startReceiver()
    const { body: endpoint } = await api(aliceKey, 'POST', '', { url: receiver.url })
    for (let i = 0; i < 3; i++) expect((await api(aliceKey, 'POST', `/${endpoint.id}/test`)).status).toBe(202)
    await receiver.waitFor(3)
    const first = await api(aliceKey, 'GET', `/${endpoint.id}/deliveries?limit=2`)
    expect(first.body.deliveries).toHaveLength(2)
    expect(first.body.nextCursor).toMatch(/^\d+$/)
    const second = await api(aliceKey, 'GET', `/${endpoint.id}/deliveries?limit=2&cursor=${first.body.nextCursor}`)
    expect(second.body.deliveries).toHaveLength(1)
    expect(second.body.nextCursor).toBeNull()
    const ids = [...first.body.deliveries, ...second.body.deliveries].map((d: { id: string }) => d.id)
    expect(new Set(ids).size).toBe(3)
    await eventually(async () => {
      const page = await api(aliceKey, 'GET', `/${endpoint.id}/deliveries?status=succeeded`)
      return page.body.deliveries.length === 3 ? true : undefined
    })
    expect((await api(aliceKey, 'GET', `/${endpoint.id}/deliveries?status=failed`)).body.deliveries).toHaveLength(0)
  })

  it('refuses bad input with invalid_request and details', async () => {
    const cases: [unknown, string][] = [
      [{ url: 'not a url' }, 'url'],
      [{ url: 'ftp://example.com/x' }, 'url'],
      [{ url: 'http://93.184.215.14/x' }, 'url'], // plain http to a public address
      [{ url: 'https://does-not-exist.invalid/x' }, 'url'],
      [{ url: 'https://user:pw@example.com/x' }, 'url'],
      [{}, 'url'],
      [{ url: 'https://example.com/x', events: ['MESSAGES_UPSERT', 'NOPE'] }, 'events.1'],
      [{ url: 'https://example.com/x', events: [] }, 'events'],
      [{ url: 'https://example.com/x', events: 'MESSAGES_UPSERT' }, 'events'],
      [{ url: 'https://example.com/x', instance: 'bob-shop' }, 'instance'],
      [{ url: 'https://example.com/x', enabled: 'yes' }, 'enabled'],
      [{ url: 'https://example.com/x', secret: 'mine' }, '(body)'],
    ]
    for (const [body, field] of cases) {
      const response = await api(aliceKey, 'POST', '', body)
      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(response.body.error).toBe('invalid_request')
      expect(response.body.details.map((d: { field: string }) => d.field), JSON.stringify(body)).toContain(field)
    }
    const malformed = await api(aliceKey, 'POST', '', '{"url":')
    expect(malformed.status).toBe(400)
    expect(malformed.body.error).toBe('invalid_json')

    const { body: endpoint } = await api(aliceKey, 'POST', '', { url: 'http://127.0.0.1:9/x' })
    expect((await api(aliceKey, 'PATCH', `/${endpoint.id}`, {})).status).toBe(400)
    expect((await api(aliceKey, 'PATCH', `/${endpoint.id}`, { events: ['BAD'] })).body.error).toBe('invalid_request')
    expect((await api(aliceKey, 'GET', `/${endpoint.id}/deliveries?limit=0`)).body.details[0].field).toBe('limit')
    expect((await api(aliceKey, 'GET', `/${endpoint.id}/deliveries?cursor=abc`)).body.details[0].field).toBe('cursor')
  })

  it('answers bad ids, unknown ids and another account’s ids with 404 not_found, never 500', async () => {
    const { body: mine } = await api(aliceKey, 'POST', '', { url: 'http://127.0.0.1:9/alice' })
    const paths: [string, string][] = []
    for (const id of ['nope', '00000000-0000-0000-0000-000000000000', "1' or '1'='1", mine.id]) {
      const encoded = encodeURIComponent(id)
      paths.push(['GET', `/${encoded}`], ['PATCH', `/${encoded}`], ['DELETE', `/${encoded}`], ['POST', `/${encoded}/rotate-secret`])
      paths.push(['GET', `/${encoded}/deliveries`], ['POST', `/${encoded}/test`], ['POST', `/${encoded}/deliveries/${encoded}/resend`])
      paths.push(['GET', `/${encoded}/deliveries/00000000-0000-0000-0000-000000000000`])
    }
    for (const [method, path] of paths) {
      const response = await api(bobKey, method, path, method === 'PATCH' ? { enabled: false } : undefined)
      expect(response.status, `${method} ${path}`).toBe(404)
      expect(response.body.error).toBe('not_found')
    }
    // Alice's own endpoint with a bad delivery id is a 404 too.
    expect((await api(aliceKey, 'POST', `/${mine.id}/deliveries/not-a-uuid/resend`)).status).toBe(404)
    expect((await api(aliceKey, 'GET', `/${mine.id}`)).body.enabled).toBe(true)
    expect((await api(bobKey, 'GET', '')).body.webhooks).toEqual([])
  })

  it('needs a key (401) and answers other methods with 405', async () => {
    const response = await fetch(`${stack.baseUrl}/api/v1/webhooks`)
    expect(response.status).toBe(401)
    expect((await response.json()).error).toBe('unauthorized')
    const put = await api(aliceKey, 'PUT', '')
    expect(put.status).toBe(405)
    expect(put.body.error).toBe('method_not_allowed')
  })
})

describe('sage webhook:create', () => {
  it('prints the secret once, alone on the last line, and it signs deliveries', async () => {
    const receiver = await startReceiver()
    const result = sage({}, 'webhook:create', '--email', alice.email, '--url', receiver.url, '--events', 'CONNECTION_UPDATE,MESSAGES_UPSERT', '--instance', 'acme-prod')
    expect(result.status, result.stderr).toBe(0)
    expect(result.lastLine).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)
    expect(result.stdout.split(result.lastLine)).toHaveLength(2)
    const { body } = await api(aliceKey, 'GET', '')
    const endpoint = body.webhooks.find((w: { url: string }) => w.url === receiver.url)
    expect(endpoint).toMatchObject({ events: ['MESSAGES_UPSERT', 'CONNECTION_UPDATE'], instance: 'acme-prod' })
    await api(aliceKey, 'POST', `/${endpoint.id}/test`)
    const [request] = await receiver.waitFor(1)
    expect(await verifySageWebhookInPython(request.headers, request.rawBody, result.lastLine)).toBe(true)
  })

  it('refuses bad input with one line on stderr, and private URLs when they are not allowed', () => {
    const cases: [Record<string, string>, string[], RegExp][] = [
      [{}, ['--email', 'nobody@example.com', '--url', 'https://example.com/x'], /No account/],
      [{}, ['--email', alice.email], /--url is required/],
      [{}, ['--email', alice.email, '--url', 'https://example.com/x', '--events', 'NOPE'], /is not an event/],
      [{}, ['--email', alice.email, '--url', 'https://example.com/x', '--instance', 'bob-shop'], /No instance named "bob-shop"/],
      [{ WEBHOOK_ALLOW_PRIVATE_URLS: 'false' }, ['--email', alice.email, '--url', 'https://127.0.0.1/x'], /loopback/],
      [{ WEBHOOK_ALLOW_PRIVATE_URLS: 'false' }, ['--email', alice.email, '--url', 'https://169.254.169.254/x'], /link-local/],
    ]
    for (const [env, args, message] of cases) {
      const result = sage(env, 'webhook:create', ...args)
      expect(result.status, args.join(' ')).not.toBe(0)
      expect(result.stderr.trim().split('\n')).toHaveLength(1)
      expect(result.stderr).toMatch(message)
      expect(result.stdout).not.toMatch(/whsec_/)
    }
  })
})
