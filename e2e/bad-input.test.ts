// Bad input from outside, through the production build and the real server: NUL characters in any
// string or path segment, path segments that are not UTF-8, and URLs that reach our own network
// through an IPv6 spelling. Every answer is our JSON error (400/404), never a 500.
import http from 'node:http'
import { describe, expect, it } from 'vitest'
import { runCli } from '@/test-support/cli'
import { createVerifiedAccount, sessionCookie } from '@/test-support/accounts'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'

const database = await useTestDatabase()
const stack = await startStack({ databaseUrl: database.url, workers: 0 })
const alice = await createVerifiedAccount(database.url, { instances: ['acme'] })
// An account key: the webhook API needs one, and it reaches the data plane like an instance key.
const minted = runCli({ ...stack.env, LOG_LEVEL: 'warn' }, 'key:create', '--email', alice.email, '--scope', 'account')
const key = minted.lastLine
const cookie = await sessionCookie(database.url, alice.userId, stack.env.AUTH_SECRET!)

const NUL = '\u0000'

/** A raw request: fetch() would normalise some of the paths under test before sending them. */
function raw(method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}) {
  const url = new URL(stack.baseUrl)
  return new Promise<{ status: number; contentType: string; body: string; requestId: string | undefined }>((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, method, path, headers: { ...options.headers, ...(options.body ? { 'content-type': 'application/json' } : {}) } },
      (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk) => (body += chunk))
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), body, requestId: response.headers['x-request-id'] as string | undefined }),
        )
      },
    )
    request.on('error', reject)
    request.end(options.body)
  })
}

const withKey = { authorization: `Bearer ${key}` }
const withSession = { cookie }

/** Our JSON error, with the request id in body and header. */
function ourError(response: Awaited<ReturnType<typeof raw>>, path: string) {
  expect(response.contentType, `${path}: ${response.status} ${response.body.slice(0, 200)}`).toContain('application/json')
  const body = JSON.parse(response.body) as { error: string; message: string; requestId: string; details?: { field: string; message: string }[] }
  expect(body.requestId, path).toBe(response.requestId)
  return body
}

describe('a NUL character in a string input is a 400 naming the field', () => {
  const cases: [string, string, unknown, string][] = [
    ['sendText text', '/api/v1/instance/acme/message/sendText', { number: '919876543210', text: `hi${NUL}there` }, 'text'],
    ['sendText quoted key id', '/api/v1/instance/acme/message/sendText', { number: '919876543210', text: 'hi', quoted: { key: { id: `A${NUL}` } } }, 'quoted.key.id'],
    ['sendLocation name', '/api/v1/instance/acme/message/sendLocation', { number: '919876543210', latitude: 1, longitude: 2, name: `x${NUL}` }, 'name'],
    ['sendLocation address', '/api/v1/instance/acme/message/sendLocation', { number: '919876543210', latitude: 1, longitude: 2, address: `${NUL}` }, 'address'],
    ['sendContact fullName', '/api/v1/instance/acme/message/sendContact', { number: '919876543210', contact: [{ fullName: `Al${NUL}ice`, phoneNumber: '+91 98765 43210' }] }, 'contact.0.fullName'],
    ['sendMedia caption', '/api/v1/instance/acme/message/sendMedia', { number: '919876543210', mediatype: 'image', media: 'aGVsbG8=', caption: `c${NUL}` }, 'caption'],
    ['sendMedia fileName', '/api/v1/instance/acme/message/sendMedia', { number: '919876543210', mediatype: 'document', media: 'aGVsbG8=', fileName: `a${NUL}.pdf` }, 'fileName'],
    ['sendReaction key id', '/api/v1/instance/acme/message/sendReaction', { key: { remoteJid: '919876543210@s.whatsapp.net', fromMe: false, id: `ABC${NUL}` }, reaction: '👍' }, 'key.id'],
    ['sendReaction reaction', '/api/v1/instance/acme/message/sendReaction', { key: { remoteJid: '919876543210@s.whatsapp.net', fromMe: false, id: 'ABC' }, reaction: NUL }, 'reaction'],
    ['markMessageAsRead key id', '/api/v1/instance/acme/chat/markMessageAsRead', { readMessages: [{ remoteJid: '919876543210@s.whatsapp.net', fromMe: false, id: `X${NUL}` }] }, 'readMessages.0.id'],
    ['markMessageAsRead remoteJid', '/api/v1/instance/acme/chat/markMessageAsRead', { readMessages: [{ remoteJid: `9198${NUL}@s.whatsapp.net`, fromMe: false, id: 'X' }] }, 'readMessages.0.remoteJid'],
    ['updateMessage text', '/api/v1/instance/acme/chat/updateMessage', { key: { remoteJid: '919876543210@s.whatsapp.net', fromMe: true, id: 'ABC' }, text: `new${NUL}` }, 'text'],
    ['forward key id', '/api/v1/instance/acme/message/forward', { number: '919876543210', key: { id: `ABC${NUL}` } }, 'key.id'],
    ['sendPoll option', '/api/v1/instance/acme/message/sendPoll', { number: '919876543210', name: 'Q', values: ['a', `b${NUL}`] }, 'values.1'],
    ['sendSticker sticker', '/api/v1/instance/acme/message/sendSticker', { number: '919876543210', sticker: `aGVs${NUL}` }, 'sticker'],
    ['webhooks url', '/api/v1/webhooks', { url: `https://example.com/${NUL}` }, 'url'],
    ['webhooks events', '/api/v1/webhooks', { url: 'https://example.com/hook', events: [`MESSAGES_UPSERT${NUL}`] }, 'events.0'],
  ]
  it.each(cases)('%s', async (_what, path, body, field) => {
    const response = await raw('POST', path, { headers: withKey, body: JSON.stringify(body) })
    expect(response.status, response.body).toBe(400)
    const error = ourError(response, path)
    expect(error.error).toBe('invalid_request')
    expect(error.details?.map((detail) => detail.field)).toContain(field)
    expect(error.details?.find((detail) => detail.field === field)?.message).toMatch(/NUL/)
  })

  it('in a field name too, and in the account plane (session cookie)', async () => {
    const inKey = await raw('POST', '/api/v1/instance/acme/message/sendText', {
      headers: withKey,
      body: JSON.stringify({ number: '919876543210', text: 'hi', quoted: { key: { id: 'A' }, message: { [`con${NUL}versation`]: 'x' } } }),
    })
    expect(inKey.status).toBe(400)
    expect(ourError(inKey, 'record key').details?.[0].field).toBe(`quoted.message.con\\u0000versation`)

    const account = await raw('POST', '/api/v1/me/instances', { headers: withSession, body: JSON.stringify({ name: `shop${NUL}` }) })
    expect(account.status).toBe(400)
    expect(ourError(account, 'me/instances').details?.map((detail) => detail.field)).toEqual(['name'])
  })

  it('in a multipart field and in the uploaded file name', async () => {
    const send = async (form: FormData) => {
      const response = await fetch(`${stack.baseUrl}/api/v1/instance/acme/message/sendMedia`, { method: 'POST', headers: withKey, body: form })
      return { status: response.status, body: (await response.json()) as { error: string; details?: { field: string }[] } }
    }
    const captioned = new FormData()
    captioned.set('number', '919876543210')
    captioned.set('mediatype', 'document')
    captioned.set('caption', `a${NUL}b`)
    captioned.set('file', new Blob([Buffer.from('%PDF-1.4\n')], { type: 'application/pdf' }), 'a.pdf')
    const caption = await send(captioned)
    expect(caption.status).toBe(400)
    expect(caption.body.details?.map((detail) => detail.field)).toEqual(['caption'])

    const named = new FormData()
    named.set('number', '919876543210')
    named.set('mediatype', 'document')
    named.set('file', new Blob([Buffer.from('%PDF-1.4\n')], { type: 'application/pdf' }), `a${NUL}.pdf`)
    const fileName = await send(named)
    expect(fileName.status).toBe(400)
    expect(fileName.body.details?.map((detail) => detail.field)).toEqual(['file'])
  })

  it('in the query string', async () => {
    const response = await raw('GET', '/api/v1/webhooks/00000000-0000-4000-8000-000000000000/deliveries?status=%00', { headers: withKey })
    expect(response.status).toBe(400)
    expect(ourError(response, 'query').details?.map((detail) => detail.field)).toContain('status')
  })
})

describe('a path segment with NUL, or not UTF-8, gets our JSON 400/404', () => {
  const paths: [string, Record<string, string>][] = [
    ['/api/v1/instance/x%00/connectionState', withKey],
    ['/api/v1/instance/acme/messages/%00', withKey],
    ['/api/v1/instance/acme/messages/%00/media', withKey],
    ['/api/v1/me/instances/%00/events', withSession],
    ['/api/v1/me/instances/%00', withSession],
    ['/api/v1/webhooks/%00', withKey],
    ['/api/v1/webhooks/%00/deliveries/%00', withKey],
    ['/api/v1/nothing/%00', withKey],
    ['/api/v1/instance/%ff/connectionState', withKey],
    ['/api/v1/instance/acme/messages/%ff', withKey],
    ['/api/v1/me/instances/%ff/events', withSession],
    ['/api/v1/webhooks/%c3%28', withKey],
    ['/api/v1/%ff', {}],
    ['/api/%E0%A4%A', {}],
  ]
  it.each(paths)('GET %s', async (path, headers) => {
    const response = await raw('GET', path, { headers })
    expect([400, 404], `${path}: ${response.status} ${response.body.slice(0, 300)}`).toContain(response.status)
    expect(['invalid_request', 'not_found', 'instance_not_found']).toContain(ourError(response, path).error)
  })

  it.each(['/api/v1/instance/%ff%fe/message/sendText', '/api/v1/instance/%00/message/sendText'])('POST %s', async (path) => {
    const response = await raw('POST', path, { headers: withKey, body: JSON.stringify({ number: '919876543210', text: 'hi' }) })
    expect([400, 404], `${path}: ${response.status} ${response.body.slice(0, 300)}`).toContain(response.status)
    ourError(response, path)
  })

  it.each(['/instances/%ff', '/instances/acme%00', '/webhooks/%c3%28', '/keys/%ff/usage', '/%ff', '/docs/%E0%A4%A'])('dashboard page %s: a page saying the address is broken, not a 500', async (path) => {
    const response = await raw('GET', path, { headers: withSession })
    expect(response.status, `${path}: ${response.body.slice(0, 300)}`).toBe(400)
    expect(response.contentType).toContain('text/html')
    expect(response.body).toContain('This address is broken')
  })

  it('the server is still fine afterwards', async () => {
    const response = await raw('GET', '/api/v1/instance/acme/connectionState', { headers: withKey })
    expect(response.status).toBe(200)
  })
})

describe('SSRF through IPv6 forms of private addresses, at the API', () => {
  it('a webhook URL on ::/96 (IPv4-compatible) is refused with invalid_request naming url', async () => {
    for (const url of ['https://[::127.0.0.1]/hook', 'https://[::a9fe:a9fe]/latest/meta-data', 'https://[64:ff9b::a9fe:a9fe]/']) {
      const response = await raw('POST', '/api/v1/webhooks', { headers: withKey, body: JSON.stringify({ url }) })
      expect(response.status, `${url}: ${response.body}`).toBe(400)
      const error = ourError(response, url)
      expect(error.error).toBe('invalid_request')
      expect(error.details).toEqual([{ field: 'url', message: expect.stringMatching(/embeds (127\.0\.0\.1|169\.254\.169\.254)/) }])
    }
  })

  it('a media URL is refused when the send is made, with invalid_request naming media', async () => {
    const response = await raw('POST', '/api/v1/instance/acme/message/sendMedia', {
      headers: withKey,
      body: JSON.stringify({ number: '919876543210', mediatype: 'image', media: 'https://[::a9fe:a9fe]/photo.jpg' }),
    })
    expect(response.status, response.body).toBe(400)
    const error = ourError(response, 'sendMedia')
    expect(error.error).toBe('invalid_request')
    expect(error.details).toEqual([{ field: 'media', message: expect.stringMatching(/embeds 169\.254\.169\.254/) }])
  })
})
