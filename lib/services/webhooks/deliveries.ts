import 'server-only'
import { randomUUID } from 'node:crypto'
import { ApiError } from '@/lib/api/errors'
import { parseWith } from '@/lib/api/validation'
import {
  DeliveryListQuery,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookDeliveryDetail,
} from '@/lib/api/schemas/webhooks'
import { listForAccount } from '@/lib/store/instances'
import { findEndpoint } from '@/lib/store/webhook-endpoints'
import {
  createTestDelivery,
  findDeliveryWithLog,
  listDeliveries as listDeliveryPage,
  queueResend,
  type Attempt,
  type Delivery,
} from '@/lib/store/webhook-deliveries'
import { TEST_EVENT, type WebhookPayload } from '@/lib/webhooks/payload'
import { isUuid, type WebhookContext } from './endpoints'

function toAttempt(attempt: Attempt): WebhookAttempt {
  return {
    attemptedAt: attempt.attemptedAt.toISOString(),
    statusCode: attempt.statusCode,
    latencyMs: attempt.latencyMs,
    responseSnippet: attempt.responseSnippet,
    error: attempt.error,
  }
}

function toDelivery(delivery: Delivery): WebhookDelivery {
  return {
    id: delivery.id,
    event: delivery.event,
    eventId: delivery.eventId,
    instance: delivery.instance,
    status: delivery.status,
    attempts: delivery.attempts,
    createdAt: delivery.createdAt.toISOString(),
    lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
    nextAttemptAt: delivery.status === 'pending' ? (delivery.nextAttemptAt?.toISOString() ?? null) : null,
    lastAttempt: delivery.lastAttempt ? toAttempt(delivery.lastAttempt) : null,
  }
}

function endpointNotFound(): ApiError {
  return new ApiError('not_found', 'No webhook endpoint with this id in your account.')
}

function deliveryNotFound(): ApiError {
  return new ApiError('not_found', 'No delivery with this id for this endpoint.')
}

async function requireEndpoint(ctx: WebhookContext, endpointId: string) {
  if (!isUuid(endpointId)) throw endpointNotFound()
  const endpoint = await findEndpoint(ctx.userId, endpointId)
  if (!endpoint) throw endpointNotFound()
  return endpoint
}

/** The endpoint's deliveries, newest first, each with its latest attempt. */
export async function listDeliveries({
  ctx,
  endpointId,
  query,
}: {
  ctx: WebhookContext
  endpointId: string
  query?: DeliveryListQuery
}): Promise<{ deliveries: WebhookDelivery[]; nextCursor: string | null }> {
  const { limit, status, cursor } = parseWith(DeliveryListQuery, query ?? {}, 'query')
  await requireEndpoint(ctx, endpointId)
  const page = await listDeliveryPage(ctx.userId, endpointId, { limit, status, before: cursor })
  return { deliveries: page.deliveries.map(toDelivery), nextCursor: page.nextCursor }
}

/** One delivery with every attempt and the payload it sends. */
export async function getDelivery({ ctx, endpointId, deliveryId }: { ctx: WebhookContext; endpointId: string; deliveryId: string }): Promise<WebhookDeliveryDetail> {
  await requireEndpoint(ctx, endpointId)
  if (!isUuid(deliveryId)) throw deliveryNotFound()
  const delivery = await findDeliveryWithLog(ctx.userId, endpointId, deliveryId)
  if (!delivery) throw deliveryNotFound()
  return { ...toDelivery(delivery), payload: delivery.payload, attemptLog: delivery.attemptLog.map(toAttempt) }
}

/** One more attempt of any delivery, now (same X-Sage-Delivery id, a fresh timestamp and signature). */
export async function resendDelivery({ ctx, endpointId, deliveryId }: { ctx: WebhookContext; endpointId: string; deliveryId: string }): Promise<WebhookDelivery> {
  const endpoint = await requireEndpoint(ctx, endpointId)
  if (!isUuid(deliveryId)) throw deliveryNotFound()
  if (!endpoint.enabled) throw new ApiError('invalid_request', 'This endpoint is disabled; enable it before resending.', [{ field: 'enabled', message: 'The endpoint is disabled' }])
  const delivery = await queueResend(ctx.userId, endpointId, deliveryId)
  if (!delivery) throw deliveryNotFound()
  return toDelivery(delivery)
}

/**
 * Sends a WEBHOOK_TEST event to this endpoint only (whatever its event subset), signed and logged
 * like any other delivery. Its `instance` is the endpoint's instance filter, else the account's
 * first instance, else "test".
 */
export async function sendTestEvent({ ctx, endpointId }: { ctx: WebhookContext; endpointId: string }): Promise<WebhookDelivery> {
  const endpoint = await requireEndpoint(ctx, endpointId)
  if (!endpoint.enabled) throw new ApiError('invalid_request', 'This endpoint is disabled; enable it before sending a test event.', [{ field: 'enabled', message: 'The endpoint is disabled' }])
  const instance = endpoint.instanceName ?? (await listForAccount(ctx.userId))[0]?.name ?? 'test'
  const payload: WebhookPayload = {
    event: TEST_EVENT,
    instance,
    data: { message: 'This is a test event from SAGE-API. If you can read it, your endpoint works.' },
    id: randomUUID(),
    timestamp: new Date().toISOString(),
  }
  const delivery = await createTestDelivery(ctx.userId, endpointId, payload)
  if (!delivery) throw endpointNotFound()
  return toDelivery(delivery)
}
