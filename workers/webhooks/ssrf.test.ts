// SSRF: with WEBHOOK_ALLOW_PRIVATE_URLS off, private destinations are refused when saved and when delivered.
import { randomBytes, randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'
import { createVerifiedAccount } from '@/test-support/accounts'
import { startReceiver } from '@/e2e/support/webhook-receiver'

process.env.SAGE_ENCRYPTION_KEY = randomBytes(32).toString('hex')
process.env.WEBHOOK_ALLOW_PRIVATE_URLS = 'false'
const database = await useTestDatabase()

const { sqlClient } = await import('@/lib/db')
const { log } = await import('@/lib/log')
const { ApiError } = await import('@/lib/api/errors')
const { checkWebhookUrl, UnsafeUrlError } = await import('@/lib/webhooks/url-guard')
const { createWebhookEndpoint, updateWebhookEndpoint } = await import('@/lib/services/webhooks/endpoints')
const { sealSigningSecret } = await import('@/lib/webhooks/secrets')
const { attemptDelivery } = await import('./attempt')
const { runDeliveryJob } = await import('./dispatch')

const sql = sqlClient()
const refused = async (url: string, options: Parameters<typeof checkWebhookUrl>[1] = { allowPrivate: false }) => {
  try {
    await checkWebhookUrl(url, options)
  } catch (error) {
    if (error instanceof UnsafeUrlError) return error.message
    throw error
  }
  return null
}

const publicAnswer = async () => [{ address: '93.184.215.14', family: 4 as const }]

describe('the URL guard', () => {
  it('refuses loopback, private, link-local/metadata, CGNAT, unique-local, multicast and unspecified addresses', async () => {
    const cases: [string, RegExp][] = [
      ['https://127.0.0.1/hook', /loopback/],
      ['https://10.0.0.1/hook', /private/],
      ['https://192.168.1.20/hook', /private/],
      ['https://172.16.5.4/hook', /private/],
      ['https://169.254.169.254/latest/meta-data', /link-local/],
      ['https://100.64.0.1/hook', /carrier-grade/],
      ['https://[::1]/hook', /loopback/],
      ['https://[fd00:ec2::254]/hook', /unique-local/],
      ['https://[::ffff:127.0.0.1]/hook', /loopback/],
      ['https://224.0.0.1/hook', /multicast/],
      ['https://0.0.0.0/hook', /unspecified/],
      ['https://2130706433/hook', /loopback/], // 127.0.0.1 written as a number
      ['https://localhost/hook', /resolves to (127\.0\.0\.1|::1).*loopback/],
    ]
    for (const [url, reason] of cases) expect(await refused(url), url).toMatch(reason)
  })

  it('refuses a hostname when any of its addresses is private (an attacker picks which one a later lookup returns)', async () => {
    const mixed = async () => [
      { address: '93.184.215.14', family: 4 as const },
      { address: '10.1.2.3', family: 4 as const },
    ]
    expect(await refused('https://hooks.example.com/x', { allowPrivate: false, resolveHost: mixed })).toMatch(/resolves to 10\.1\.2\.3, which is a private address/)
    expect(await refused('https://hooks.example.com/x', { allowPrivate: false, resolveHost: publicAnswer })).toBeNull()
  })

  it('wants https for public hosts, allows http only to private ones when private URLs are allowed, and refuses odd URLs', async () => {
    expect(await refused('http://hooks.example.com/x', { allowPrivate: false, resolveHost: publicAnswer })).toMatch(/https/)
    expect(await refused('http://hooks.example.com/x', { allowPrivate: true, resolveHost: publicAnswer })).toMatch(/https/)
    expect(await refused('http://127.0.0.1:9/x', { allowPrivate: true })).toBeNull()
    expect(await refused('ftp://example.com/x')).toMatch(/https/)
    expect(await refused('https://user:pass@example.com/x')).toMatch(/credentials/)
    expect(await refused('not a url')).toMatch(/absolute URL/)
    expect(await refused('https://does-not-exist.invalid/x')).toMatch(/could not be resolved/)
  })

  it('connects to the address it checked, not to a fresh DNS answer', async () => {
    const receiver = await startReceiver()
    // A name no DNS knows: the request can only arrive if the connection uses the checked address.
    const result = await attemptDelivery({
      url: `http://pinned.sage-test.invalid:${receiver.port}/hooks`,
      headers: {},
      body: '{}',
      timeoutMs: 2000,
      allowPrivate: true,
      resolveHost: async () => [{ address: '127.0.0.1', family: 4 }],
    })
    expect(result).toMatchObject({ ok: true, statusCode: 200 })
    expect(receiver.received[0].headers.host).toBe(`pinned.sage-test.invalid:${receiver.port}`)
  })
})

describe('save time', () => {
  it('the services refuse private URLs with invalid_request and a url detail', async () => {
    const account = await createVerifiedAccount(database.url)
    const ctx = { userId: account.userId }
    for (const url of ['https://127.0.0.1/x', 'https://10.0.0.1/x', 'https://169.254.169.254/x', 'https://[::1]/x', 'https://localhost/x']) {
      const error = await createWebhookEndpoint({ ctx, input: { url } }).catch((e) => e)
      expect(error, url).toBeInstanceOf(ApiError)
      expect(error.code).toBe('invalid_request')
      expect(error.details[0].field).toBe('url')
      expect(error.message).toMatch(/The webhook URL was refused/)
    }
    const [{ n }] = await sql`select count(*)::int as n from webhook_endpoints where user_id = ${account.userId}`
    expect(n).toBe(0)
  })

  it('…and on update', async () => {
    const account = await createVerifiedAccount(database.url)
    const ctx = { userId: account.userId }
    const id = randomUUID()
    await sql`insert into webhook_endpoints (id, user_id, url, events, secret) values (${id}, ${account.userId}, 'https://hooks.example.com/x', ${['MESSAGES_UPSERT']}, ${sealSigningSecret(id, 'whsec_x')})`
    const error = await updateWebhookEndpoint({ ctx, id, input: { url: 'https://10.0.0.1/x' } }).catch((e) => e)
    expect(error.code).toBe('invalid_request')
  })
})

describe('delivery time', () => {
  it('an endpoint whose host now points at a private address is refused, logged, and never contacted', async () => {
    const receiver = await startReceiver()
    const account = await createVerifiedAccount(database.url, { instances: ['ssrf-inst'] })
    const [instance] = await sql`select id from instances where user_id = ${account.userId}`
    // Saved back when it was public (or DNS changed since): the row exists with a private target.
    const endpointId = randomUUID()
    await sql`insert into webhook_endpoints (id, user_id, url, events, secret)
              values (${endpointId}, ${account.userId}, ${receiver.url}, ${['MESSAGES_UPSERT']}, ${sealSigningSecret(endpointId, 'whsec_test')})`
    const [event] = await sql`insert into instance_events (instance_id, user_id, instance_name, event, data)
                              values (${instance.id}, ${account.userId}, 'ssrf-inst', 'MESSAGES_UPSERT', '{}') returning id`
    const [delivery] = await sql`insert into webhook_deliveries (endpoint_id, event_id, user_id, next_attempt_at)
                                 values (${endpointId}, ${event.id}, ${account.userId}, now()) returning id`
    const settings = { retryScheduleMs: [], timeoutMs: 2000, staleLockMs: 5000, disableAfterMs: 3 * 86400_000, allowPrivate: false, appUrl: 'http://localhost' }
    await runDeliveryJob({ deliveryId: delivery.id, attempt: 1 }, settings, log)

    const attempts = await sql`select status_code, error from webhook_attempts where delivery_id = ${delivery.id}`
    expect(attempts).toHaveLength(1)
    expect(attempts[0].status_code).toBeNull()
    expect(attempts[0].error).toMatch(/^Refused: .*loopback/)
    const [row] = await sql`select status from webhook_deliveries where id = ${delivery.id}`
    expect(row.status).toBe('failed')
    expect(receiver.received).toHaveLength(0)

    // DNS rebinding: the name looked public when saved, and now answers with the metadata address.
    await sql`update webhook_endpoints set url = 'https://hooks.example.com/x' where id = ${endpointId}`
    await sql`update webhook_deliveries set status = 'pending' where id = ${delivery.id}`
    await runDeliveryJob({ deliveryId: delivery.id, attempt: 1 }, { ...settings, resolveHost: async () => [{ address: '169.254.169.254', family: 4 }] }, log)
    const [latest] = await sql`select error from webhook_attempts where delivery_id = ${delivery.id} order by attempted_at desc limit 1`
    expect(latest.error).toMatch(/resolves to 169\.254\.169\.254.*link-local/)
  })
})
