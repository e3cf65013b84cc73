// Event → delivery → signed POST → attempt log, through the real fan-out, graphile-worker and dispatcher.
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'
import { createVerifiedAccount } from '@/test-support/accounts'
import { startReceiver } from '@/e2e/support/webhook-receiver'
import { dispatchWebhooksInThisProcess } from '@/e2e/support/dispatcher-in-process'
import { verifiesInNode, verifySageWebhookInPython } from '@/test-support/sage-verify'

process.env.SAGE_ENCRYPTION_KEY = randomBytes(32).toString('hex')
process.env.WEBHOOK_ALLOW_PRIVATE_URLS = 'true'
process.env.WEBHOOK_RETRY_SCHEDULE_MS = '150,300,450'
process.env.WEBHOOK_TIMEOUT_MS = '1000'
process.env.WEBHOOK_STALE_LOCK_MS = '3000'
const database = await useTestDatabase()

const { sqlClient } = await import('@/lib/db')
const { recordEvent } = await import('@/lib/store/events')
const { createWebhookEndpoint, rotateWebhookSecret, updateWebhookEndpoint } = await import('@/lib/services/webhooks/endpoints')
const { getDelivery, resendDelivery, sendTestEvent } = await import('@/lib/services/webhooks/deliveries')

const sql = sqlClient()

dispatchWebhooksInThisProcess()

async function accountWithInstance(name = `inst-${randomBytes(3).toString('hex')}`) {
  const account = await createVerifiedAccount(database.url, { instances: [name] })
  const [instance] = await sql<{ id: string }[]>`select id from instances where user_id = ${account.userId} and name = ${name}`
  return { ...account, ctx: { userId: account.userId }, instance: { id: instance.id, userId: account.userId, name } }
}

const messageData = {
  key: { remoteJid: '919999999999@s.whatsapp.net', fromMe: false, id: 'ABCDEF0123' },
  pushName: 'Alice',
  messageType: 'conversation',
  message: { conversation: 'Hello!' },
  messageTimestamp: 1735689600,
}

async function deliveryStatus(id: string) {
  const [row] = await sql<{ status: string; attempts: number }[]>`select status, attempts from webhook_deliveries where id = ${id}`
  return row
}

async function waitForStatus(id: string, status: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const row = await deliveryStatus(id)
    if (row?.status === status) return row
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`delivery ${id} is ${JSON.stringify(await deliveryStatus(id))}, expected ${status}`)
}

describe('a recorded event reaches the endpoint, signed as the docs say', () => {
  it('POSTs {event, instance, data, id, timestamp} with headers that both seed verifiers accept', async () => {
    const receiver = await startReceiver()
    const alice = await accountWithInstance('acme-prod')
    const { secret, id: endpointId } = await createWebhookEndpoint({ ctx: alice.ctx, input: { url: receiver.url } })
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)

    const eventId = await sql.begin((tx) => recordEvent(tx, alice.instance, 'MESSAGES_UPSERT', messageData))
    const [request] = await receiver.waitFor(1)

    const body = JSON.parse(request.rawBody)
    expect(Object.keys(body)).toEqual(['event', 'instance', 'data', 'id', 'timestamp'])
    expect(body).toMatchObject({ event: 'MESSAGES_UPSERT', instance: 'acme-prod', data: messageData, id: eventId })
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp)
    expect(request.headers['content-type']).toBe('application/json')
    expect(request.headers['user-agent']).toMatch(/^SAGE-API-Webhooks\//)
    expect(request.headers['x-sage-instance']).toBe('acme-prod')
    expect(request.headers['x-sage-event']).toBe('MESSAGES_UPSERT')
    expect(request.headers['x-sage-signature']).toMatch(/^sha256=[0-9a-f]{64}$/)
    expect(Math.abs(Number(request.headers['x-sage-timestamp']) - Date.now() / 1000)).toBeLessThan(5)
    expect(request.headers['x-sage-signature-previous']).toBeUndefined()
    const [delivery] = await sql<{ id: string }[]>`select id from webhook_deliveries where endpoint_id = ${endpointId}`
    expect(request.headers['x-sage-delivery']).toBe(delivery.id)

    expect(verifiesInNode(request, secret)).toBe(true)
    expect(await verifySageWebhookInPython(request.headers, request.rawBody, secret)).toBe(true)

    // …and the same verifiers reject a tampered body, a wrong secret and a replay outside 5 minutes.
    const tampered = { ...request, rawBody: request.rawBody.replace('Hello!', 'Hello?') }
    expect(verifiesInNode(tampered, secret)).toBe(false)
    expect(await verifySageWebhookInPython(tampered.headers, tampered.rawBody, secret)).toBe(false)
    expect(verifiesInNode(request, `${secret}x`)).toBe(false)
    expect(await verifySageWebhookInPython(request.headers, request.rawBody, `${secret}x`)).toBe(false)
    const { signature } = await import('./sign')
    const oldTs = Math.floor(Date.now() / 1000) - 301
    const replayed = { headers: { ...request.headers, 'x-sage-timestamp': String(oldTs), 'x-sage-signature': `sha256=${signature(secret, oldTs, request.rawBody)}` }, rawBody: request.rawBody }
    expect(verifiesInNode(replayed, secret)).toBe(false)
    expect(await verifySageWebhookInPython(replayed.headers, replayed.rawBody, secret)).toBe(false)

    const done = await waitForStatus(delivery.id, 'succeeded')
    expect(done.attempts).toBe(1)
    const detail = await getDelivery({ ctx: alice.ctx, endpointId, deliveryId: delivery.id })
    expect(detail.attemptLog).toHaveLength(1)
    expect(detail.attemptLog[0]).toMatchObject({ statusCode: 200, responseSnippet: 'ok', error: null })
    expect(detail.attemptLog[0].latencyMs).toBeGreaterThanOrEqual(0)
    // The attempt log keeps the headers exactly as the receiver got them (the delivery page shows them).
    const { findDeliveryWithLog } = await import('@/lib/store/webhook-deliveries')
    const kept = (await findDeliveryWithLog(alice.ctx.userId, endpointId, delivery.id))!.attemptLog[0].requestHeaders!
    for (const [name, value] of Object.entries(kept)) expect(request.headers[name.toLowerCase()], name).toBe(value)
    expect(kept['X-Sage-Signature']).toBe(request.headers['x-sage-signature'])
  })

  it('fans out only to enabled endpoints of the owner that subscribe to the event and match the instance filter', async () => {
    const receiver = await startReceiver()
    const alice = await accountWithInstance()
    const other = await accountWithInstance()
    await sql`insert into instances (user_id, name) values (${alice.userId}, 'alice-second')`
    const url = (tag: string) => `${receiver.url}?${tag}`
    await createWebhookEndpoint({ ctx: alice.ctx, input: { url: url('all') } })
    await createWebhookEndpoint({ ctx: alice.ctx, input: { url: url('filtered'), instance: alice.instance.name } })
    await createWebhookEndpoint({ ctx: alice.ctx, input: { url: url('other-instance'), instance: 'alice-second' } })
    await createWebhookEndpoint({ ctx: alice.ctx, input: { url: url('qr-only'), events: ['QRCODE_UPDATED'] } })
    await createWebhookEndpoint({ ctx: alice.ctx, input: { url: url('disabled'), enabled: false } })
    await createWebhookEndpoint({ ctx: other.ctx, input: { url: url('someone-else') } })

    await sql.begin((tx) => recordEvent(tx, alice.instance, 'CONNECTION_UPDATE', { state: 'open' }))
    const requests = await receiver.waitFor(2)
    // Fan-out happens inside the event's transaction, so after commit the rows are all there is.
    const count = await sql<{ n: number }[]>`select count(*)::int as n from webhook_deliveries where user_id in (${alice.userId}, ${other.userId})`
    expect(count[0].n).toBe(2)
    expect(requests.map((r) => r.headers['x-sage-event'])).toEqual(['CONNECTION_UPDATE', 'CONNECTION_UPDATE'])
  })

  it('records nothing when the event’s transaction rolls back', async () => {
    const receiver = await startReceiver()
    const alice = await accountWithInstance()
    const { id: endpointId } = await createWebhookEndpoint({ ctx: alice.ctx, input: { url: receiver.url } })
    await expect(
      sql.begin(async (tx) => {
        await recordEvent(tx, alice.instance, 'MESSAGES_UPSERT', messageData)
        throw new Error('the state change failed')
      }),
    ).rejects.toThrow('the state change failed')
    const deliveries = await sql`select id from webhook_deliveries where endpoint_id = ${endpointId}`
    const events = await sql`select id from instance_events where instance_id = ${alice.instance.id}`
    expect(deliveries).toHaveLength(0)
    expect(events).toHaveLength(0)
    expect(receiver.received).toHaveLength(0)
  })
})

describe('retries', () => {
  it('500 then 200: two attempts logged, one delivery id, succeeded (and counted in the worker’s metrics)', async () => {
    const { webhookAttempts, workerRegistry } = await import('../metrics')
    const countOf = async (outcome: string) => (await webhookAttempts.get()).values.find((value) => value.labels.outcome === outcome)?.value ?? 0
    const [successesBefore, errorsBefore] = [await countOf('success'), await countOf('http_error')]
    const receiver = await startReceiver((_request, index) => (index === 0 ? { status: 500, body: 'boom: database down' } : { status: 204 }))
    const alice = await accountWithInstance()
    const { id: endpointId, secret } = await createWebhookEndpoint({ ctx: alice.ctx, input: { url: receiver.url } })
    await sql.begin((tx) => recordEvent(tx, alice.instance, 'MESSAGES_UPSERT', messageData))
    const [first, second] = await receiver.waitFor(2)
    expect(second.headers['x-sage-delivery']).toBe(first.headers['x-sage-delivery'])
    expect(second.rawBody).toBe(first.rawBody)
    expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(140)
    for (const request of [first, second]) expect(await verifySageWebhookInPython(request.headers, request.rawBody, secret)).toBe(true)

    const deliveryId = String(first.headers['x-sage-delivery'])
    await waitForStatus(deliveryId, 'succeeded')
    const detail = await getDelivery({ ctx: alice.ctx, endpointId, deliveryId })
    expect(detail.attempts).toBe(2)
    expect(detail.attemptLog.map((a) => a.statusCode)).toEqual([500, 204])
    expect(detail.attemptLog[0]).toMatchObject({ responseSnippet: 'boom: database down', error: 'HTTP 500' })
    const [endpoint] = await sql`select failing_since from webhook_endpoints where id = ${endpointId}`
    expect(endpoint.failing_since).toBeNull()
    expect(await countOf('success')).toBeGreaterThanOrEqual(successesBefore + 1)
    expect(await countOf('http_error')).toBeGreaterThanOrEqual(errorsBefore + 1)
    // The exposition's label order is the library's choice; read the labels as a set.
    const exposition = await workerRegistry.getSingleMetricAsString('sage_webhook_attempt_duration_seconds')
    const successCount = exposition.split('\n').find((line) => line.startsWith('sage_webhook_attempt_duration_seconds_count{') && line.includes('outcome="success"') && line.includes('service="worker"'))
    expect(Number(successCount?.split(' ').pop())).toBeGreaterThanOrEqual(1)
  })

  it('never 2xx: one attempt plus one per scheduled delay, spaced by the schedule, then failed', async () => {
    const receiver = await startReceiver(() => ({ status: 503, body: 'x'.repeat(5000) }))
    const alice = await accountWithInstance()
    const { id: endpointId } = await createWebhookEndpoint({ ctx: alice.ctx, input: { url: receiver.url } })
    await sql.begin((tx) => recordEvent(tx, alice.instance, 'CONNECTION_UPDATE', { state: 'close' }))
    const requests = await receiver.waitFor(4)
    const deliveryId = String(requests[0].headers['x-sage-delivery'])
    await waitForStatus(deliveryId, 'failed')
    const gaps = requests.slice(1).map((r, i) => r.receivedAt - requests[i].receivedAt)
    ;[150, 300, 450].forEach((delay, i) => expect(gaps[i]).toBeGreaterThanOrEqual(delay - 10))
    const detail = await getDelivery({ ctx: alice.ctx, endpointId, deliveryId })
    expect(detail.attempts).toBe(4)
    expect(detail.attemptLog).toHaveLength(4)
    expect(detail.attemptLog[0].responseSnippet).toHaveLength(2048) // SNIPPET_BYTES: the first 2 KB
    expect(detail.nextAttemptAt).toBeNull()
    // No fifth attempt is coming.
    await new Promise((resolve) => setTimeout(resolve, 700))
    expect(receiver.received).toHaveLength(4)
    const [endpoint] = await sql`select failing_since, enabled from webhook_endpoints where id = ${endpointId}`
    expect(endpoint.failing_since).not.toBeNull()
    expect(endpoint.enabled).toBe(true)
  })

  it('a receiver slower than the timeout is a failed attempt, retried', async () => {
    const receiver = await startReceiver((_request, index) => (index === 0 ? { status: 200, delayMs: 2500 } : { status: 200, body: 'fast' }))
    const alice = await accountWithInstance()
    const { id: endpointId } = await createWebhookEndpoint({ ctx: alice.ctx, input: { url: receiver.url } })
    await sql.begin((tx) => recordEvent(tx, alice.instance, 'MESSAGES_UPSERT', messageData))
    const [first] = await receiver.waitFor(2)
    const deliveryId = String(first.headers['x-sage-delivery'])
    await waitForStatus(deliveryId, 'succeeded')
    const detail = await getDelivery({ ctx: alice.ctx, endpointId, deliveryId })
    expect(detail.attemptLog[0]).toMatchObject({ statusCode: null, error: 'Timed out: no response within 1 s' })
    expect(detail.attemptLog[0].latencyMs).toBeGreaterThanOrEqual(990)
    expect(detail.attemptLog[1]).toMatchObject({ statusCode: 200, responseSnippet: 'fast' })
  })

  it('a redirect is not followed: it is a failed attempt', async () => {
    const receiver = await startReceiver((_request, index) => (index === 0 ? { status: 302 } : { status: 200 }))
    const alice = await accountWithInstance()
    const { id: endpointId } = await createWebhookEndpoint({ ctx: alice.ctx, input: { url: receiver.url } })
    await sql.begin((tx) => recordEvent(tx, alice.instance, 'MESSAGES_UPSERT', messageData))
    const [first] = await receiver.waitFor(2)
    const deliveryId = String(first.headers['x-sage-delivery'])
    await waitForStatus(deliveryId, 'succeeded')
    const detail = await getDelivery({ ctx: alice.ctx, endpointId, deliveryId })
    expect(detail.attemptLog.map((a) => a.statusCode)).toEqual([302, 200])
  })

  it('disables an endpoint that has failed for days, and emails its owner', async () => {
    const receiver = await startReceiver(() => ({ status: 500 }))
    const alice = await accountWithInstance()
    const { id: endpointId } = await createWebhookEndpoint({ ctx: alice.ctx, input: { url: receiver.url } })
    await sql`update webhook_endpoints set failing_since = now() - interval '3 days 1 minute' where id = ${endpointId}`
    await sql.begin((tx) => recordEvent(tx, alice.instance, 'MESSAGES_UPSERT', messageData))
    const [first] = await receiver.waitFor(1)
    await waitForStatus(String(first.headers['x-sage-delivery']), 'failed')
    const [endpoint] = await sql`select enabled, disabled_reason from webhook_endpoints where id = ${endpointId}`
    expect(endpoint.enabled).toBe(false)
    expect(endpoint.disabled_reason).toMatch(/Disabled automatically/)
    expect(receiver.received).toHaveLength(1) // the pending retry was dropped, not sent to a disabled endpoint
    const mail = await sql`select subject, text from dev_mailbox where "to" = ${alice.email}`
    expect(mail).toHaveLength(1)
    expect(mail[0].subject).toBe('A SAGE-API webhook endpoint was disabled')
    expect(mail[0].text).toContain(receiver.url)
  })
})

describe('secrets, resend and test events', () => {
  it('after a rotation the new secret signs X-Sage-Signature and the old one X-Sage-Signature-Previous', async () => {
    const receiver = await startReceiver()
    const alice = await accountWithInstance()
    const created = await createWebhookEndpoint({ ctx: alice.ctx, input: { url: receiver.url } })
    const rotated = await rotateWebhookSecret({ ctx: alice.ctx, id: created.id })
    expect(rotated.secret).not.toBe(created.secret)
    expect(Date.parse(rotated.previousSecretExpiresAt!) - Date.now()).toBeGreaterThan(23.9 * 3600_000)
    await sql.begin((tx) => recordEvent(tx, alice.instance, 'MESSAGES_UPSERT', messageData))
    const [request] = await receiver.waitFor(1)
    expect(verifiesInNode(request, rotated.secret)).toBe(true)
    expect(await verifySageWebhookInPython(request.headers, request.rawBody, rotated.secret)).toBe(true)
    expect(verifiesInNode(request, created.secret)).toBe(false)
    const previous = { ...request, headers: { ...request.headers, 'x-sage-signature': request.headers['x-sage-signature-previous'] } }
    expect(await verifySageWebhookInPython(previous.headers, previous.rawBody, created.secret)).toBe(true)

    // Once the overlap has expired the old secret signs nothing.
    await sql`update webhook_endpoints set previous_secret_expires_at = now() - interval '1 second' where id = ${created.id}`
    await sql.begin((tx) => recordEvent(tx, alice.instance, 'MESSAGES_UPSERT', messageData))
    const [, later] = await receiver.waitFor(2)
    expect(later.headers['x-sage-signature-previous']).toBeUndefined()
  })

  it('resend makes one more attempt of a delivered event with the same delivery id; a test event reaches only this endpoint', async () => {
    const receiver = await startReceiver()
    const alice = await accountWithInstance('shop-main')
    const endpoint = await createWebhookEndpoint({ ctx: alice.ctx, input: { url: receiver.url, events: ['QRCODE_UPDATED'] } })
    const test = await sendTestEvent({ ctx: alice.ctx, endpointId: endpoint.id })
    const [request] = await receiver.waitFor(1)
    expect(request.headers['x-sage-delivery']).toBe(test.id)
    expect(JSON.parse(request.rawBody)).toMatchObject({ event: 'WEBHOOK_TEST', instance: 'shop-main', id: test.eventId })
    expect(await verifySageWebhookInPython(request.headers, request.rawBody, endpoint.secret)).toBe(true)
    await waitForStatus(test.id, 'succeeded')

    await resendDelivery({ ctx: alice.ctx, endpointId: endpoint.id, deliveryId: test.id })
    const [, again] = await receiver.waitFor(2)
    expect(again.headers['x-sage-delivery']).toBe(test.id)
    expect(again.rawBody).toBe(request.rawBody)
    const deadline = Date.now() + 5000
    while ((await deliveryStatus(test.id)).attempts < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect(await deliveryStatus(test.id)).toEqual({ status: 'succeeded', attempts: 2 })

    await updateWebhookEndpoint({ ctx: alice.ctx, id: endpoint.id, input: { enabled: false } })
    await expect(sendTestEvent({ ctx: alice.ctx, endpointId: endpoint.id })).rejects.toThrow(/disabled/)
  })
})
