// The webhook store's state rules against a real database, without a dispatcher: what one attempt's
// outcome does to its delivery, its next job and its endpoint, and that no account reaches another's rows.
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'
import { createVerifiedAccount } from '@/test-support/accounts'

const database = await useTestDatabase()
const { sqlClient } = await import('@/lib/db')
const { recordEvent } = await import('./events')
const endpoints = await import('./webhook-endpoints')
const deliveries = await import('./webhook-deliveries')

const sql = sqlClient()
const DAY_MS = 86_400_000
const failure = { ok: false, statusCode: 500, latencyMs: 12, responseSnippet: 'boom', error: 'HTTP 500' }
const success = { ok: true, statusCode: 200, latencyMs: 8, responseSnippet: 'ok', error: null }

async function accountWithEndpoint() {
  const name = `inst-${randomBytes(3).toString('hex')}`
  const account = await createVerifiedAccount(database.url, { instances: [name] })
  const [instance] = await sql<{ id: string }[]>`select id from instances where user_id = ${account.userId}`
  const endpoint = await endpoints.insertEndpoint(account.userId, {
    id: crypto.randomUUID(),
    url: 'https://hooks.example.com/in',
    events: ['MESSAGES_UPSERT'],
    instanceId: instance.id,
    sealedSecret: Buffer.from('sealed-first'),
    enabled: true,
  })
  return { ...account, endpoint, instance: { id: instance.id, userId: account.userId, name } }
}

/** Records an event; the fan-out gives the endpoint one pending delivery. */
async function pendingDelivery(account: Awaited<ReturnType<typeof accountWithEndpoint>>) {
  await sql.begin((tx) => recordEvent(tx, account.instance, 'MESSAGES_UPSERT', { text: 'hi' }))
  const { deliveries: [delivery] } = await deliveries.listDeliveries(account.userId, account.endpoint.id, { limit: 1 })
  return { id: delivery.id, endpointId: account.endpoint.id }
}

async function deliveryRow(id: string) {
  const [row] = await sql`select status, attempts, next_attempt_at from webhook_deliveries where id = ${id}`
  return row
}

/** The delivery's scheduled graphile job (its key keeps it to one); the public view omits the payload. */
async function jobsOf(deliveryId: string) {
  return sql`select payload, run_at from graphile_worker._private_jobs where key = ${`webhook-delivery:${deliveryId}`}`
}

const rules = { retryScheduleMs: [60_000], disableAfterMs: 3 * DAY_MS }

describe('an attempt’s outcome', () => {
  it('a failed scheduled attempt is logged with its retry (row and job) in one go; past the schedule the delivery fails', async () => {
    const account = await accountWithEndpoint()
    const delivery = await pendingDelivery(account)

    expect(await deliveries.recordAttemptOutcome(delivery, { deliveryId: delivery.id, attempt: 1 }, failure, rules)).toBeNull()
    const retried = await deliveryRow(delivery.id)
    expect(retried).toMatchObject({ status: 'pending', attempts: 1 })
    expect(retried.next_attempt_at.getTime() - Date.now()).toBeGreaterThan(50_000)
    const [job] = await jobsOf(delivery.id)
    expect(job.payload).toEqual({ deliveryId: delivery.id, attempt: 2 })
    expect(job.run_at.getTime()).toBe(retried.next_attempt_at.getTime())
    const logged = await deliveries.findDeliveryWithLog(account.userId, account.endpoint.id, delivery.id)
    expect(logged?.attemptLog).toMatchObject([{ statusCode: 500, responseSnippet: 'boom', error: 'HTTP 500' }])
    expect(logged?.lastAttempt).toMatchObject({ statusCode: 500 })

    await deliveries.recordAttemptOutcome(delivery, { deliveryId: delivery.id, attempt: 2 }, failure, rules)
    expect(await deliveryRow(delivery.id)).toMatchObject({ status: 'failed', attempts: 2, next_attempt_at: null })
    const endpoint = await endpoints.findEndpoint(account.userId, account.endpoint.id)
    expect(endpoint?.failingSince).toBeInstanceOf(Date)
    expect(endpoint?.enabled).toBe(true)
  })

  it('a manual resend is one extra attempt: a failure leaves a pending schedule alone and a failed delivery failed', async () => {
    const account = await accountWithEndpoint()
    const delivery = await pendingDelivery(account)
    await deliveries.recordAttemptOutcome(delivery, { deliveryId: delivery.id, attempt: 1 }, failure, rules)
    const scheduled = await deliveryRow(delivery.id)
    const [job] = await jobsOf(delivery.id)

    await deliveries.recordAttemptOutcome(delivery, { deliveryId: delivery.id, resend: true }, failure, rules)
    const afterResend = await deliveryRow(delivery.id)
    expect(afterResend).toMatchObject({ status: 'pending', attempts: 2 })
    expect(afterResend.next_attempt_at.getTime()).toBe(scheduled.next_attempt_at.getTime())
    expect(await jobsOf(delivery.id)).toEqual([job])

    await deliveries.recordAttemptOutcome(delivery, { deliveryId: delivery.id, resend: true }, success, rules)
    expect(await deliveryRow(delivery.id)).toMatchObject({ status: 'succeeded', attempts: 3, next_attempt_at: null })
    expect((await endpoints.findEndpoint(account.userId, account.endpoint.id))?.failingSince).toBeNull()

    const failed = await pendingDelivery(account)
    await deliveries.recordAttemptOutcome(failed, { deliveryId: failed.id, attempt: 2 }, failure, rules)
    await deliveries.recordAttemptOutcome(failed, { deliveryId: failed.id, resend: true }, failure, rules)
    expect(await deliveryRow(failed.id)).toMatchObject({ status: 'failed', attempts: 2 })
  })

  it('disables an endpoint failing longer than disableAfterMs, reports it once, and a manual enable starts afresh', async () => {
    const account = await accountWithEndpoint()
    const delivery = await pendingDelivery(account)
    await sql`update webhook_endpoints set failing_since = now() - interval '2 hours' where id = ${account.endpoint.id}`

    const disabled = await deliveries.recordAttemptOutcome(delivery, { deliveryId: delivery.id, resend: true }, failure, { ...rules, disableAfterMs: 3_600_000 })
    expect(disabled).toMatchObject({ url: 'https://hooks.example.com/in', ownerEmail: account.email })
    expect(disabled?.failingSinceUtc).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/)
    const endpoint = await endpoints.findEndpoint(account.userId, account.endpoint.id)
    expect(endpoint).toMatchObject({ enabled: false, disabledReason: 'Disabled automatically: every delivery failed for 1 hours.' })
    expect(await deliveries.recordAttemptOutcome(delivery, { deliveryId: delivery.id, resend: true }, failure, { ...rules, disableAfterMs: 3_600_000 })).toBeNull()

    // Its pending delivery fails without an attempt; a settled one is left as it is.
    await deliveries.failForDisabledEndpoint(delivery.id)
    expect(await deliveryRow(delivery.id)).toMatchObject({ status: 'failed', attempts: 2, next_attempt_at: null })

    const enabled = await endpoints.updateEndpoint(account.userId, account.endpoint.id, { enabled: true })
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null, failingSince: null })
  })
})

describe('secrets', () => {
  it('a rotated secret keeps signing beside the new one for 24 h, and not after', async () => {
    const account = await accountWithEndpoint()
    const delivery = await pendingDelivery(account)
    expect((await deliveries.loadDeliveryToSend(delivery.id))?.endpoint.sealedPreviousSecret).toBeNull()

    const rotated = await endpoints.rotateSecret(account.userId, account.endpoint.id, Buffer.from('sealed-second'))
    expect(rotated!.previousSecretExpiresAt!.getTime() - Date.now()).toBeGreaterThan(23.9 * 3_600_000)
    const toSend = await deliveries.loadDeliveryToSend(delivery.id)
    expect(toSend?.endpoint.sealedSecret.toString()).toBe('sealed-second')
    expect(toSend?.endpoint.sealedPreviousSecret?.toString()).toBe('sealed-first')
    expect((await endpoints.sealedSecretOf(account.userId, account.endpoint.id))?.toString()).toBe('sealed-second')

    await sql`update webhook_endpoints set previous_secret_expires_at = now() - interval '1 second' where id = ${account.endpoint.id}`
    expect((await deliveries.loadDeliveryToSend(delivery.id))?.endpoint.sealedPreviousSecret).toBeNull()
  })
})

describe('account scoping', () => {
  it('another account reads, changes and deletes nothing of this one’s endpoints and deliveries', async () => {
    const alice = await accountWithEndpoint()
    const bob = await accountWithEndpoint()
    const delivery = await pendingDelivery(alice)
    const id = alice.endpoint.id

    expect(alice.endpoint.instanceName).toBe(alice.instance.name)
    expect((await endpoints.listEndpoints(bob.userId)).map((e) => e.id)).toEqual([bob.endpoint.id])
    expect(await endpoints.findEndpoint(bob.userId, id)).toBeUndefined()
    expect(await endpoints.sealedSecretOf(bob.userId, id)).toBeUndefined()
    expect(await endpoints.updateEndpoint(bob.userId, id, { url: 'https://bob.example.com/' })).toBeUndefined()
    expect(await endpoints.rotateSecret(bob.userId, id, Buffer.from('bob'))).toBeUndefined()
    expect(await endpoints.deleteEndpoint(bob.userId, id)).toBe(false)
    expect(await deliveries.findDelivery(bob.userId, id, delivery.id)).toBeUndefined()
    expect(await deliveries.findDeliveryWithLog(bob.userId, id, delivery.id)).toBeUndefined()
    expect((await deliveries.listDeliveries(bob.userId, id, { limit: 10 })).deliveries).toEqual([])
    expect(await deliveries.queueResend(bob.userId, id, delivery.id)).toBeUndefined()
    const test = { event: 'WEBHOOK_TEST', instance: 'x', data: {}, id: crypto.randomUUID(), timestamp: new Date().toISOString() }
    expect(await deliveries.createTestDelivery(bob.userId, id, test)).toBeUndefined()
    const [{ n: resends }] = await sql`select count(*)::int as n from graphile_worker._private_jobs where payload->>'resend' = 'true'`
    expect(resends).toBe(0)
    // An endpoint cannot name another account's instance through the join either.
    await sql`update webhook_endpoints set instance_id = ${alice.instance.id} where id = ${bob.endpoint.id}`
    expect((await endpoints.findEndpoint(bob.userId, bob.endpoint.id))?.instanceName).toBeNull()

    const untouched = await endpoints.findEndpoint(alice.userId, id)
    expect(untouched).toMatchObject({ url: 'https://hooks.example.com/in', previousSecretExpiresAt: null })
    expect((await endpoints.sealedSecretOf(alice.userId, id))?.toString()).toBe('sealed-first')
    expect(await deliveries.findDelivery(alice.userId, id, delivery.id)).toMatchObject({ id: delivery.id, status: 'pending' })
    expect((await deliveries.listDeliveries(alice.userId, id, { limit: 10 })).deliveries).toHaveLength(1)
    expect(await deliveries.queueResend(alice.userId, id, delivery.id)).toMatchObject({ id: delivery.id })
    const [{ n: queued }] = await sql`select count(*)::int as n from graphile_worker._private_jobs where payload->>'resend' = 'true'`
    expect(queued).toBe(1)
  })
})

describe('outcomes written together (the dispatcher’s batches)', () => {
  it('applies a batch as if one attempt after the other: rows, retries and the endpoint’s streak', async () => {
    const account = await accountWithEndpoint()
    const [first, second, third] = [await pendingDelivery(account), await pendingDelivery(account), await pendingDelivery(account)]
    await sql`update webhook_endpoints set failing_since = now() - interval '1 hour' where id = ${account.endpoint.id}`

    const told = await deliveries.recordAttemptOutcomes(
      [
        { delivery: first, job: { deliveryId: first.id, attempt: 1 }, result: failure },
        { delivery: second, job: { deliveryId: second.id, attempt: 1 }, result: success },
        { delivery: third, job: { deliveryId: third.id, attempt: 2 }, result: failure },
      ],
      rules,
    )
    expect(told).toEqual([null, null, null])
    expect(await deliveryRow(first.id)).toMatchObject({ status: 'pending', attempts: 1 })
    expect((await jobsOf(first.id)).map((job) => job.payload)).toEqual([{ deliveryId: first.id, attempt: 2 }])
    expect(await deliveryRow(second.id)).toMatchObject({ status: 'succeeded', attempts: 1, next_attempt_at: null })
    expect(await deliveryRow(third.id)).toMatchObject({ status: 'failed', attempts: 1, next_attempt_at: null })
    for (const { id } of [first, second, third]) expect((await deliveries.findDeliveryWithLog(account.userId, account.endpoint.id, id))?.attemptLog).toHaveLength(1)
    // The success ended the hour-old streak; the failure after it started a new one.
    const [endpoint] = await sql`select failing_since, now() - failing_since < interval '1 minute' as fresh from webhook_endpoints where id = ${account.endpoint.id}`
    expect(endpoint.fresh).toBe(true)
  })

  it('an endpoint disabled by a batch is reported once, on its first failure; one delivery twice in a batch is refused', async () => {
    const account = await accountWithEndpoint()
    const [first, second] = [await pendingDelivery(account), await pendingDelivery(account)]
    await sql`update webhook_endpoints set failing_since = now() - interval '2 hours' where id = ${account.endpoint.id}`
    const strict = { ...rules, disableAfterMs: 3_600_000 }
    const told = await deliveries.recordAttemptOutcomes(
      [
        { delivery: first, job: { deliveryId: first.id, attempt: 1 }, result: failure },
        { delivery: second, job: { deliveryId: second.id, attempt: 1 }, result: failure },
      ],
      strict,
    )
    expect(told[0]).toMatchObject({ url: 'https://hooks.example.com/in', ownerEmail: account.email })
    expect(told[1]).toBeNull()
    expect(await endpoints.findEndpoint(account.userId, account.endpoint.id)).toMatchObject({ enabled: false })

    const twice = deliveries.recordAttemptOutcomes(
      [
        { delivery: first, job: { deliveryId: first.id, resend: true }, result: failure },
        { delivery: first, job: { deliveryId: first.id, attempt: 2 }, result: failure },
      ],
      strict,
    )
    await expect(twice).rejects.toThrow(/one outcome per delivery/)
    expect(await deliveryRow(first.id)).toMatchObject({ attempts: 1 })
  })

  it('a receiver body with NUL bytes is logged (as U+FFFD) and does not fail the batch it shares with another account', async () => {
    const [nulAccount, otherAccount] = [await accountWithEndpoint(), await accountWithEndpoint()]
    const [nulDelivery, otherDelivery] = [await pendingDelivery(nulAccount), await pendingDelivery(otherAccount)]
    await deliveries.recordAttemptOutcomes(
      [
        { delivery: nulDelivery, job: { deliveryId: nulDelivery.id, attempt: 1 }, result: { ...success, responseSnippet: 'ok\u0000\u0000done', error: null } },
        { delivery: otherDelivery, job: { deliveryId: otherDelivery.id, attempt: 1 }, result: success },
      ],
      rules,
    )
    expect(await deliveryRow(nulDelivery.id)).toMatchObject({ status: 'succeeded', attempts: 1 })
    expect(await deliveryRow(otherDelivery.id)).toMatchObject({ status: 'succeeded', attempts: 1 })
    const logged = await deliveries.findDeliveryWithLog(nulAccount.userId, nulAccount.endpoint.id, nulDelivery.id)
    expect(logged?.attemptLog).toMatchObject([{ statusCode: 200, responseSnippet: 'ok\uFFFD\uFFFDdone' }])
  })
})
