// The platform API with account keys: an integration creates an instance, pairs it through the
// simulator, mints an instance key pinned to it, and that key sends. Instance keys are refused on these
// routes (403 insufficient_scope); another account sees none of it. Plus /metrics of web and worker.
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'
import { startTestSimulator } from './support/simulator'
import { createVerifiedAccount } from '@/test-support/accounts'
import { mintKey, runCli } from '@/test-support/cli'
import { dataPlane } from '@/test-support/data-plane'
import { eventually } from '@/test-support/eventually'
import { freePort } from '@/lib/runtime/embedded-postgres'

const METRICS_TOKEN = 'metrics-token-for-the-test-0123'
const database = await useTestDatabase()
const sim = await startTestSimulator()
const workerMetricsPort = await freePort()
const stack = await startStack({ databaseUrl: database.url, env: { ...sim.env, METRICS_TOKEN, WORKER_METRICS_PORT: String(workerMetricsPort) } })

const OWN = '15551110000'
const ALICE = '919876543210'
await sim.client.createAccount(ALICE, 'Alice')

const acme = await createVerifiedAccount(database.url, { instances: ['acme-old'] })
const rival = await createVerifiedAccount(database.url, { instances: ['rival-shop'] })
const acmeAccountKey = mintKey(stack, acme.email, '--scope', 'account', '--rate-limit', '10000')
const acmeInstanceKey = mintKey(stack, acme.email, '--rate-limit', '10000')
const rivalAccountKey = mintKey(stack, rival.email, '--scope', 'account', '--rate-limit', '10000')

async function call(key: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${stack.baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await response.text()
  let json: any = text
  try {
    json = JSON.parse(text)
  } catch {}
  return { status: response.status, body: json, headers: response.headers }
}

describe('an account key manages instances and keys', () => {
  let pinnedKey = ''
  let pinnedKeyId = ''

  it('creates an instance, gets its QR, pairs it through the simulator, mints a pinned instance key, and that key sends', async () => {
    const created = await call(acmeAccountKey, 'POST', '/instances', { instanceName: 'acme-eu' })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ instance: { name: 'acme-eu', state: 'close', statusCode: 'idle', phoneNumber: null }, qrcode: null })
    expect(created.headers.get('x-ratelimit-limit')).toBe('10000')

    const connect = await call(acmeAccountKey, 'GET', '/instances/acme-eu/connect')
    expect(connect.status).toBe(200)
    expect(connect.body).toMatchObject({ code: expect.any(String), base64: expect.stringMatching(/^data:image\/png;base64,/), pairingCode: null, count: expect.any(Number) })
    await sim.client.scanQr(connect.body.code, OWN)
    const open = await eventually(async () => {
      const instance = await call(acmeAccountKey, 'GET', '/instances/acme-eu')
      return instance.body.state === 'open' ? instance.body : undefined
    }, 30_000, 200)
    expect(open).toMatchObject({ name: 'acme-eu', statusCode: 'open', phoneNumber: OWN })

    const minted = await call(acmeAccountKey, 'POST', '/keys', { name: 'acme-eu sender', instances: ['acme-eu'], rateLimit: 120 })
    expect(minted.status).toBe(201)
    expect(minted.body).toMatchObject({ name: 'acme-eu sender', scope: 'instance', instances: ['acme-eu'], rateLimit: 120, key: expect.stringMatching(/^sage_/) })
    pinnedKey = minted.body.key
    pinnedKeyId = minted.body.id

    const api = dataPlane(stack, pinnedKey)
    const sent = await api('acme-eu/message/sendText', { method: 'POST', body: JSON.stringify({ number: ALICE, text: 'Hello from the platform API' }) })
    expect(sent.status).toBe(201)
    await eventually(async () => (await sim.client.messages(ALICE, { from: OWN })).find((message) => message.id === sent.body.key.id), 15_000)
    // Pinned: the key may not use the account's other instance.
    expect((await api('acme-old/connectionState')).body.error).toBe('instance_not_allowed')
  })

  it('PATCH changes an instance’s settings and proxy, with the bodies of settings/set and proxy/set', async () => {
    const changed = await call(acmeAccountKey, 'PATCH', '/instances/acme-eu', { settings: { groupsIgnore: true, msgCall: 'Text us instead' } })
    expect(changed.status).toBe(200)
    expect(changed.body).toMatchObject({ name: 'acme-eu', statusCode: 'open', settings: { groupsIgnore: true, msgCall: 'Text us instead', rejectCall: false } })
    expect(changed.body.proxy).toEqual({ enabled: false, host: null, port: null, protocol: null, username: null, hasPassword: false })
    // A proxy-only change keeps the settings stored by the first.
    const proxyOff = await call(acmeAccountKey, 'PATCH', '/instances/acme-eu', { proxy: { enabled: false } })
    expect(proxyOff.body).toMatchObject({ settings: { groupsIgnore: true, msgCall: 'Text us instead' }, proxy: { enabled: false } })
    const undo = await call(acmeAccountKey, 'PATCH', '/instances/acme-eu', { settings: { groupsIgnore: false, msgCall: null } })
    expect(undo.body.settings).toMatchObject({ groupsIgnore: false })

    for (const [body, field] of [
      [{}, null],
      [{ settings: { groupsIgnore: 'yes' } }, 'settings.groupsIgnore'],
      [{ proxy: { enabled: true, host: 'proxy.example.com' } }, 'proxy.port'],
      [{ settings: { msgCall: 'a\u0000b' } }, 'settings.msgCall'],
    ] as const) {
      const refused = await call(acmeAccountKey, 'PATCH', '/instances/acme-eu', body)
      expect(refused.status).toBe(400)
      expect(refused.body.error).toBe('invalid_request')
      if (field) expect(refused.body.details.map((detail: { field: string }) => detail.field)).toContain(field)
    }
  })

  it('with ?number=, connect answers a pairing code; create with qrcode: true answers the first QR', async () => {
    const created = await call(acmeAccountKey, 'POST', '/instances', { instanceName: 'acme-qr', qrcode: true })
    expect(created.status).toBe(201)
    expect(created.body.qrcode).toMatchObject({ code: expect.any(String), base64: expect.stringMatching(/^data:image\/png;base64,/) })
    await call(acmeAccountKey, 'POST', '/instances', { instanceName: 'acme-code' })
    const code = await call(acmeAccountKey, 'GET', '/instances/acme-code/connect?number=15552220000')
    expect(code.status).toBe(200)
    expect(code.body).toMatchObject({ code: null, base64: null, pairingCode: expect.stringMatching(/^[A-Z0-9]{8}$/) })
  })

  it('lists, reads, edits and revokes instance keys; never shows or mints account keys', async () => {
    const list = await call(acmeAccountKey, 'GET', '/keys')
    expect(list.status).toBe(200)
    expect(list.body.keys.map((key: { scope: string }) => key.scope)).toEqual(list.body.keys.map(() => 'instance'))
    expect(list.body.keys.map((key: { id: string }) => key.id)).toContain(pinnedKeyId)
    expect((await call(acmeAccountKey, 'GET', `/keys/${pinnedKeyId}`)).body).toMatchObject({ id: pinnedKeyId, instances: ['acme-eu'] })
    const edited = await call(acmeAccountKey, 'PATCH', `/keys/${pinnedKeyId}`, { rateLimit: 300, instances: ['acme-eu', 'acme-old'] })
    expect(edited.body).toMatchObject({ rateLimit: 300, instances: expect.arrayContaining(['acme-eu', 'acme-old']) })

    const accountMint = await call(acmeAccountKey, 'POST', '/keys', { scope: 'account' })
    expect(accountMint.status).toBe(400)
    expect(accountMint.body).toMatchObject({ error: 'invalid_request', details: [{ field: 'scope' }] })
    const ownId = (await import('postgres')).default
    const sql = ownId(database.url, { max: 1, onnotice: () => {} })
    const [accountKeyRow] = await sql`select id from api_keys where user_id = ${acme.userId} and scope = 'account'`
    await sql.end()
    expect((await call(acmeAccountKey, 'GET', `/keys/${accountKeyRow.id}`)).status).toBe(404)
    expect((await call(acmeAccountKey, 'DELETE', `/keys/${accountKeyRow.id}`)).status).toBe(404)

    const revoked = await call(acmeAccountKey, 'DELETE', `/keys/${pinnedKeyId}`)
    expect(revoked.status).toBe(200)
    expect(revoked.body.revokedAt).toEqual(expect.any(String))
    await eventually(async () => ((await dataPlane(stack, pinnedKey)('acme-eu/connectionState')).status === 401 ? true : undefined), 5_000)
  })

  it('an instance key gets 403 insufficient_scope on every account-key route, with its rate-limit headers (webhooks: e2e/webhooks-api.test.ts)', async () => {
    for (const [method, path] of [
      ['GET', '/instances'],
      ['POST', '/instances'],
      ['GET', '/instances/acme-eu'],
      ['PATCH', '/instances/acme-eu'],
      ['DELETE', '/instances/acme-eu'],
      ['GET', '/instances/acme-eu/connect'],
      ['GET', '/keys'],
      ['POST', '/keys'],
    ]) {
      const response = await call(acmeInstanceKey, method, path, method === 'POST' || method === 'PATCH' ? {} : undefined)
      expect({ method, path, status: response.status, error: response.body.error }).toEqual({ method, path, status: 403, error: 'insufficient_scope' })
      expect(response.headers.get('x-ratelimit-remaining')).not.toBeNull()
    }
    expect((await call('sage_notakey', 'GET', '/instances')).status).toBe(401)
  })

  it('another account’s key sees none of ours: empty lists and 404s', async () => {
    const instances = await call(rivalAccountKey, 'GET', '/instances')
    expect(instances.body.instances.map((instance: { name: string }) => instance.name)).toEqual(['rival-shop'])
    for (const [method, path] of [
      ['GET', '/instances/acme-eu'],
      ['PATCH', '/instances/acme-eu'],
      ['DELETE', '/instances/acme-eu'],
      ['GET', '/instances/acme-eu/connect'],
    ]) {
      const response = await call(rivalAccountKey, method, path, method === 'PATCH' ? { settings: { groupsIgnore: true } } : undefined)
      expect({ method, path, status: response.status, error: response.body.error }).toEqual({ method, path, status: 404, error: 'instance_not_found' })
    }
    expect((await call(rivalAccountKey, 'GET', '/keys')).body.keys).toEqual([])
    expect((await call(rivalAccountKey, 'GET', `/keys/${pinnedKeyId}`)).status).toBe(404)
    expect((await call(rivalAccountKey, 'PATCH', `/keys/${pinnedKeyId}`, { name: 'mine now' })).status).toBe(404)
    expect((await call(rivalAccountKey, 'GET', '/events?limit=1000')).body.events).toEqual([])
    expect((await call(rivalAccountKey, 'GET', '/webhooks')).body.webhooks).toEqual([])
    // Same name in another account is fine: names are unique per account.
    expect((await call(rivalAccountKey, 'POST', '/instances', { instanceName: 'acme-eu' })).status).toBe(201)
  })

  it('refuses bad input with 400s and documented codes', async () => {
    for (const body of [{}, { instanceName: 'Bad Name' }, { instanceName: 'ok-name', qrcode: 'yes' }, { instanceName: 'a\u0000b' }, { instanceName: 'ok-name', number: '12' }]) {
      const response = await call(acmeAccountKey, 'POST', '/instances', body)
      expect({ body, status: response.status, error: response.body.error }).toEqual({ body, status: 400, error: 'invalid_request' })
    }
    expect((await call(acmeAccountKey, 'POST', '/instances', '{"instanceName":')).body.error).toBe('invalid_json')
    expect((await call(acmeAccountKey, 'POST', '/instances', { instanceName: 'acme-eu' })).body.error).toBe('name_taken')
    expect((await call(acmeAccountKey, 'PATCH', '/instances/acme-eu', { name: 'renamed' })).body.error).toBe('invalid_request')
    expect((await call(acmeAccountKey, 'GET', '/keys/not-a-uuid')).status).toBe(404)
    expect((await call(acmeAccountKey, 'POST', '/keys', { rateLimit: 0 })).body.error).toBe('invalid_request')
    expect((await call(acmeAccountKey, 'POST', '/keys', { instances: ['nope'] })).body.error).toBe('invalid_request')
    expect((await call(acmeAccountKey, 'PUT', '/instances')).status).toBe(405)
  })

  it('deletes an instance (logging it out first)', async () => {
    const deleted = await call(acmeAccountKey, 'DELETE', '/instances/acme-eu')
    expect(deleted).toMatchObject({ status: 200, body: { deleted: true, name: 'acme-eu' } })
    expect((await call(acmeAccountKey, 'GET', '/instances/acme-eu')).status).toBe(404)
  })

  it('sage key:create --scope account mints an account key; a bad scope is a usage error', async () => {
    const listed = runCli({ ...stack.env, LOG_LEVEL: 'warn' }, 'key:list', '--email', acme.email)
    expect(listed.stdout).toMatch(/\taccount\t/)
    const bad = runCli({ ...stack.env, LOG_LEVEL: 'warn' }, 'key:create', '--email', acme.email, '--scope', 'root')
    expect(bad.status).not.toBe(0)
    expect(bad.stderr).toContain('--scope')
  })
})

/** Parses Prometheus text: `name{labels} value` lines into [{name, labels, value}]. */
function parsePrometheus(text: string) {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
      if (!match) throw new Error(`not a Prometheus sample: ${line}`)
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, name, value]) => [name, value]))
      return { name: match[1], labels, value: Number(match[3]) }
    })
}

describe('/metrics', () => {
  it('web: 401 without or with a wrong token; with it, requests by route and status, refusals and sends', async () => {
    expect((await fetch(`${stack.baseUrl}/metrics`)).status).toBe(401)
    expect((await fetch(`${stack.baseUrl}/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401)
    const response = await fetch(`${stack.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/plain')
    const samples = parsePrometheus(await response.text())
    const requests = samples.filter((sample) => sample.name === 'sage_http_requests_total')
    expect(requests).toContainEqual(expect.objectContaining({ labels: expect.objectContaining({ route: '/api/v1/instances/{name}', method: 'GET', status: '404' }) }))
    expect(requests).toContainEqual(expect.objectContaining({ labels: expect.objectContaining({ route: '/api/v1/instances', method: 'GET', status: '403' }) }))
    const sends = samples.find((sample) => sample.name === 'sage_sends_total' && /SERVER_ACK|PENDING|DELIVERY_ACK/.test(sample.labels.outcome))
    expect(sends?.value).toBeGreaterThanOrEqual(1)
    expect(samples.some((sample) => sample.name === 'sage_send_duration_seconds_count' && sample.value >= 1)).toBe(true)
    expect(samples.some((sample) => sample.name.startsWith('sage_web_process_'))).toBe(true)
  })

  it('counts rate-limit refusals', async () => {
    const slowKey = mintKey(stack, acme.email, '--rate-limit', '1')
    const api = dataPlane(stack, slowKey)
    await api('acme-old/connectionState')
    expect((await api('acme-old/connectionState')).status).toBe(429)
    const samples = parsePrometheus(await (await fetch(`${stack.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text())
    expect(samples.find((sample) => sample.name === 'sage_rate_limit_refusals_total' && sample.labels.reason === 'key')?.value).toBeGreaterThanOrEqual(1)
  })

  it('worker: its own listener, the same token rule; instances by state, queue depth, heartbeats', async () => {
    const url = `http://127.0.0.1:${workerMetricsPort}/metrics`
    expect((await fetch(url)).status).toBe(401)
    const samples = await eventually(async () => {
      const parsed = parsePrometheus(await (await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text())
      return parsed.some((sample) => sample.name === 'sage_worker_heartbeats_total' && sample.value >= 1) ? parsed : undefined
    }, 10_000)
    expect(samples.some((sample) => sample.name === 'sage_worker_instances' && sample.labels.state === 'connecting')).toBe(true)
    expect(samples.filter((sample) => sample.name === 'sage_queue_depth').map((sample) => sample.labels.queue).sort()).toEqual(['commands', 'outbox', 'webhooks'])
    expect(samples.some((sample) => sample.name === 'sage_worker_last_heartbeat_timestamp_seconds' && sample.value > Date.now() / 1000 - 60)).toBe(true)
  })
})
