// A proxy per instance end to end: all of a proxied instance's WhatsApp traffic (the socket, media
// uploads and downloads) goes through a local counting HTTP CONNECT or SOCKS5 proxy; a proxy that
// refuses shows as `proxy_failed`.
import { randomBytes } from 'node:crypto'
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
import { startConnectProxy, type ConnectProxy } from '@/test-support/connect-proxy'
import { startSocksProxy } from '@/test-support/socks-proxy'

const database = await useTestDatabase()
const sim = await startTestSimulator()
// The proxies here listen on 127.0.0.1: the operator allows private proxy hosts.
const stack = await startStack({ databaseUrl: database.url, env: { ...sim.env, PROXY_ALLOW_PRIVATE_HOSTS: 'true' }, readyTimeoutMs: 180_000 })
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

const credentials = { username: 'acme', password: 'pr0xy secret:@/' }
const proxy = await startConnectProxy({ credentials })
const refusing = await startConnectProxy({ refuse: true })
const socks = await startSocksProxy({ credentials })
afterAll(() => Promise.all([proxy.close(), refusing.close(), socks.close()]))

const account = await createVerifiedAccount(database.url, { instances: ['acme-proxied', 'acme-refused'] })
const key = mintKey(stack, account.email, '--rate-limit', '10000')
const api = dataPlane(stack, key)
const OWN = '15553334444'
const OWN_REFUSED = '15553335555'
const ALICE = '919876543210'
await sim.client.createAccount(ALICE, 'Alice')
await pairInstance(api, sim, 'acme-proxied', OWN, 90_000)
await pairInstance(api, sim, 'acme-refused', OWN_REFUSED, 90_000)

const simulatorTargets = new Set([new URL(sim.simulator.wsUrl).port, new URL(sim.simulator.mediaUrl).port].map((port) => `127.0.0.1:${port}`))
const setProxy = (name: string, body: unknown) => api(`${name}/proxy/set`, { method: 'POST', body: JSON.stringify(body) })
const statusOf = async (name: string) => (await sql`select status_code, status_reason from instances where name = ${name}`)[0]

const mediaTarget = `127.0.0.1:${new URL(sim.simulator.mediaUrl).port}`
/** What the proxy carried to (bytesUp) or from (bytesDown) the media host, over every tunnel. */
const mediaBytes = (through: ConnectProxy, direction: 'bytesUp' | 'bytesDown') =>
  through.tunnels.filter((tunnel) => tunnel.target === mediaTarget).reduce((sum, tunnel) => sum + tunnel[direction], 0)

/**
 * A 64 KB upload (sendMedia) and a 64 KB download (a document Alice sends, served by
 * messages/{id}/media): at least that many bytes crossed the proxy to and from the media host.
 */
async function mediaGoesThrough(through: ConnectProxy, name: string, own: string): Promise<void> {
  const upload = randomBytes(64 * 1024)
  const upBefore = mediaBytes(through, 'bytesUp')
  const sent = await api(`${name}/message/sendMedia`, {
    method: 'POST',
    body: JSON.stringify({ number: ALICE, mediatype: 'document', media: upload.toString('base64'), mimetype: 'application/octet-stream', fileName: 'upload.bin' }),
  })
  expect(sent.status, JSON.stringify(sent.body)).toBe(201)
  expect(mediaBytes(through, 'bytesUp') - upBefore).toBeGreaterThanOrEqual(upload.length)

  const download = randomBytes(64 * 1024)
  const downBefore = mediaBytes(through, 'bytesDown')
  const received = await sim.client.send(ALICE, { to: own, media: { type: 'document', base64: download.toString('base64'), mimetype: 'application/octet-stream', fileName: 'download.bin' } })
  const served = await eventually(async () => {
    const response = await fetch(`${stack.baseUrl}/api/v1/instance/${name}/messages/${received.id}/media`, { headers: { authorization: `Bearer ${key}` } })
    return response.status === 200 ? Buffer.from(await response.arrayBuffer()) : undefined
  }, 30_000, 200)
  expect(served.equals(download)).toBe(true)
  expect(mediaBytes(through, 'bytesDown') - downBefore).toBeGreaterThanOrEqual(download.length)
}

describe('a proxied instance', () => {
  it('reconnects through the proxy, and its socket and media go through it', async () => {
    const set = await setProxy('acme-proxied', { enabled: true, host: proxy.host, port: String(proxy.port), protocol: 'http', ...credentials })
    expect(set.status).toBe(201)
    expect(set.body.proxy).toEqual({
      instanceName: 'acme-proxied',
      proxy: { enabled: true, host: '127.0.0.1', port: proxy.port, protocol: 'http', username: 'acme', hasPassword: true },
    })
    // The socket opened again, through an authorised tunnel to the simulator.
    await eventually(async () => (proxy.tunnels.some((tunnel) => tunnel.open && tunnel.authorized) && (await statusOf('acme-proxied')).status_code === 'open' ? true : undefined), 30_000)

    const before = proxy.bytes()
    const sent = await api('acme-proxied/message/sendText', { method: 'POST', body: JSON.stringify({ number: ALICE, text: 'via the proxy' }) })
    expect(sent.status).toBe(201)
    await eventually(async () => ((await sim.client.messages(ALICE, { from: OWN })).some((message) => message.id === sent.body.key.id) ? true : undefined))
    expect(proxy.bytes()).toBeGreaterThan(before)

    // Media upload: a CONNECT to the simulator's media host, with TLS inside the tunnel.
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
    const media = await api('acme-proxied/message/sendMedia', { method: 'POST', body: JSON.stringify({ number: ALICE, mediatype: 'image', media: png, mimetype: 'image/png', caption: 'proxied picture' }) })
    expect(media.status, JSON.stringify(media.body)).toBe(201)
    expect(proxy.tunnels.some((tunnel) => tunnel.target === mediaTarget && tunnel.authorized)).toBe(true)
    // Media bytes, counted: a 64 KB upload and a 64 KB download both crossed the proxy.
    await mediaGoesThrough(proxy, 'acme-proxied', OWN)

    // Everything the proxy carried went to the simulator; nothing asked for anything else.
    expect(proxy.tunnels.length).toBeGreaterThan(0)
    for (const tunnel of proxy.tunnels.filter((t) => t.authorized)) expect(simulatorTargets.has(tunnel.target), tunnel.target).toBe(true)
    // The first attempt of each tunnel may be without credentials only if the proxy asked (407); here none were.
    expect(proxy.tunnels.every((tunnel) => tunnel.authorized)).toBe(true)
  }, 150_000)

  it('never returns the password, and keeps it sealed at rest', async () => {
    const found = await api('acme-proxied/proxy/find')
    expect(found.status).toBe(200)
    expect(found.body).toEqual({ enabled: true, host: '127.0.0.1', port: proxy.port, protocol: 'http', username: 'acme', hasPassword: true })
    expect(JSON.stringify(found.body)).not.toContain(credentials.password)
    const [row] = await sql`select proxy_sealed from instance_settings s join instances i on i.id = s.instance_id where i.name = 'acme-proxied'`
    expect(Buffer.from(row.proxy_sealed).includes(Buffer.from('pr0xy'))).toBe(false)
    expect(Buffer.from(row.proxy_sealed).includes(Buffer.from('127.0.0.1'))).toBe(false)
    const cli = runCli(stack.env, 'instance:proxy', '--email', account.email, '--name', 'acme-proxied')
    expect(cli.stdout, cli.stderr).toContain(`http://acme:***@127.0.0.1:${proxy.port}`)
    expect(cli.stdout + cli.stderr).not.toContain('pr0xy')
  }, 60_000)

  it('goes direct again when the proxy is removed', async () => {
    const tunnelsBefore = proxy.tunnels.length
    const off = await setProxy('acme-proxied', { enabled: false })
    expect(off.status).toBe(201)
    expect(off.body.proxy.proxy).toEqual({ enabled: false, host: null, port: null, protocol: null, username: null, hasPassword: false })
    await eventually(async () => ((await statusOf('acme-proxied')).status_code === 'open' ? true : undefined), 30_000)
    const sent = await api('acme-proxied/message/sendText', { method: 'POST', body: JSON.stringify({ number: ALICE, text: 'direct again' }) })
    expect(sent.status).toBe(201)
    expect(proxy.tunnels.length).toBe(tunnelsBefore)
  }, 60_000)
})

describe('a SOCKS5 proxy', () => {
  it('carries the socket and media uploads and downloads, with username and password', async () => {
    const set = await setProxy('acme-proxied', { enabled: true, host: socks.host, port: socks.port, protocol: 'socks5', ...credentials })
    expect(set.status).toBe(201)
    await eventually(async () => (socks.tunnels.some((tunnel) => tunnel.open && tunnel.authorized) && (await statusOf('acme-proxied')).status_code === 'open' ? true : undefined), 30_000)
    const sent = await api('acme-proxied/message/sendText', { method: 'POST', body: JSON.stringify({ number: ALICE, text: 'via socks' }) })
    expect(sent.status).toBe(201)
    await mediaGoesThrough(socks, 'acme-proxied', OWN)
    expect(socks.tunnels.every((tunnel) => tunnel.authorized)).toBe(true)
    for (const tunnel of socks.tunnels) expect(simulatorTargets.has(tunnel.target), tunnel.target).toBe(true)

    expect((await setProxy('acme-proxied', { enabled: false })).status).toBe(201)
    await eventually(async () => ((await statusOf('acme-proxied')).status_code === 'open' ? true : undefined), 30_000)
  }, 120_000)
})

describe('a proxy that refuses', () => {
  it('shows as status_code proxy_failed with a reason, not a crash, and recovers once removed', async () => {
    const set = await setProxy('acme-refused', { enabled: true, host: refusing.host, port: refusing.port, protocol: 'http' })
    expect(set.status).toBe(201)
    const failed = await eventually(async () => {
      const row = await statusOf('acme-refused')
      return row.status_code === 'proxy_failed' ? row : undefined
    }, 30_000)
    expect(failed.status_reason).toMatch(new RegExp(`proxy 127\\.0\\.0\\.1:${refusing.port} refused the tunnel \\(HTTP 403\\)`))
    expect(refusing.tunnels.length).toBeGreaterThan(0)
    expect((await api('acme-refused/connectionState')).body.instance.state).toBe('connecting')
    // The other instance's connection is untouched.
    expect((await statusOf('acme-proxied')).status_code).toBe('open')

    expect((await setProxy('acme-refused', { enabled: false })).status).toBe(201)
    await eventually(async () => ((await statusOf('acme-refused')).status_code === 'open' ? true : undefined), 40_000)
  }, 90_000)

  it('shows proxy_failed when nothing listens on the proxy port', async () => {
    const closed = await startConnectProxy()
    const port = closed.port
    await closed.close()
    expect((await setProxy('acme-refused', { enabled: true, host: '127.0.0.1', port, protocol: 'socks5' })).status).toBe(201)
    const failed = await eventually(async () => {
      const row = await statusOf('acme-refused')
      return row.status_code === 'proxy_failed' ? row : undefined
    }, 30_000)
    expect(failed.status_reason).toContain(`127.0.0.1:${port}`)
    expect((await setProxy('acme-refused', { enabled: false })).status).toBe(201)
  }, 60_000)
})

describe('bad proxy input', () => {
  it('answers 400 invalid_request with the field, and changes nothing', async () => {
    const cases: [unknown, string][] = [
      [{ enabled: true, host: '127.0.0.1', port: 70000, protocol: 'http' }, 'port'],
      [{ enabled: true, host: '127.0.0.1', port: 'eighty', protocol: 'http' }, 'port'],
      [{ enabled: true, host: '127.0.0.1', port: 0, protocol: 'http' }, 'port'],
      [{ enabled: true, host: '127.0.0.1', port: 8080, protocol: 'ftp' }, 'protocol'],
      [{ enabled: true, host: 'http://127.0.0.1', port: 8080, protocol: 'http' }, 'host'],
      [{ enabled: true, host: 'proxy\u0000.example.com', port: 8080, protocol: 'http' }, 'host'],
      [{ enabled: true, host: '127.0.0.1', port: 8080, protocol: 'http', username: 'a\u0000b' }, 'username'],
      [{ enabled: true, port: 8080, protocol: 'http' }, 'host'],
      [{ enabled: 'yes' }, 'enabled'],
    ]
    for (const [body, field] of cases) {
      const response = await setProxy('acme-proxied', body)
      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(response.body.error).toBe('invalid_request')
      expect(JSON.stringify(response.body.details), JSON.stringify(body)).toContain(field)
    }
    expect((await api('acme-proxied/proxy/find')).body.enabled).toBe(false)
    const cli = runCli(stack.env, 'instance:proxy', '--email', account.email, '--name', 'acme-proxied', '--url', 'ftp://127.0.0.1:21')
    expect(cli.status, cli.stdout).not.toBe(0)
    expect(cli.stderr).toMatch(/invalid_request: protocol/)
  }, 60_000)
})
