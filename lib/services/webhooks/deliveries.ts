import 'server-only'
import { randomUUID } from 'node:crypto'
import { sqlClient } from '@/lib/db'
import { ApiError } from '@/lib/api/errors'
import { parseWith } from '@/lib/api/validation'
import {
  DeliveryListQuery,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookDeliveryDetail,
} from '@/lib/api/schemas/webhooks'
import { enqueueAttempt, enqueueResend } from '@/lib/webhooks/queue'
import { TEST_EVENT, type WebhookPayload } from '@/lib/webhooks/payload'
import { isUuid, type WebhookContext } from './endpoints'

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

// Raw SQL: one query per page, with each delivery's latest attempt, scoped by account in the query.
const DELIVERY_COLUMNS = `
  d.id, d.seq, d.status, d.attempts,
  coalesce(ev.event, d.test_event->>'event') as event,
  coalesce(ev.id::text, d.test_event->>'id') as event_id,
  coalesce(ev.instance_name, d.test_event->>'instance') as instance,
  ${iso('d.created_at')} as created_at,
  ${iso('d.last_attempt_at')} as last_attempt_at,
  ${iso('d.next_attempt_at')} as next_attempt_at,
  last.attempted_at as last_attempted_at, last.status_code, last.latency_ms, last.response_snippet, last.error`

const DELIVERY_FROM = `
  from webhook_deliveries d
  join webhook_endpoints e on e.id = d.endpoint_id and e.user_id = d.user_id
  left join instance_events ev on ev.id = d.event_id
  left join lateral (
    select ${iso('a.attempted_at')} as attempted_at, a.status_code, a.latency_ms, a.response_snippet, a.error
    from webhook_attempts a where a.delivery_id = d.id order by a.attempted_at desc, a.id desc limit 1
  ) last on true`

type DeliveryRow = {
  id: string
  seq: string
  status: WebhookDelivery['status']
  attempts: number
  event: string
  event_id: string
  instance: string
  created_at: string
  last_attempt_at: string | null
  next_attempt_at: string | null
  last_attempted_at: string | null
  status_code: number | null
  latency_ms: number | null
  response_snippet: string | null
  error: string | null
}

function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    event: row.event,
    eventId: row.event_id,
    instance: row.instance,
    status: row.status,
    attempts: row.attempts,
    createdAt: row.created_at,
    lastAttemptAt: row.last_attempt_at,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    lastAttempt: row.last_attempted_at
      ? { attemptedAt: row.last_attempted_at, statusCode: row.status_code, latencyMs: row.latency_ms, responseSnippet: row.response_snippet, error: row.error }
      : null,
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
  const [endpoint] = await sqlClient()<{ id: string; enabled: boolean; instance: string | null }[]>`
    select e.id, e.enabled, i.name as instance
    from webhook_endpoints e left join instances i on i.id = e.instance_id and i.user_id = e.user_id
    where e.id = ${endpointId} and e.user_id = ${ctx.userId}`
  if (!endpoint) throw endpointNotFound()
  return endpoint
}

async function selectDelivery(ctx: WebhookContext, endpointId: string, deliveryId: string): Promise<DeliveryRow | undefined> {
  const [row] = await sqlClient().unsafe<DeliveryRow[]>(
    `select ${DELIVERY_COLUMNS} ${DELIVERY_FROM} where d.id = $1 and d.endpoint_id = $2 and d.user_id = $3`,
    [deliveryId, endpointId, ctx.userId],
  )
  return row
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
  const rows = await sqlClient().unsafe<DeliveryRow[]>(
    `select ${DELIVERY_COLUMNS} ${DELIVERY_FROM}
     where d.endpoint_id = $1 and d.user_id = $2
       and ($3::text is null or d.status = $3) and ($4::bigint is null or d.seq < $4)
     order by d.seq desc limit $5`,
    [endpointId, ctx.userId, status ?? null, cursor ?? null, limit + 1],
  )
  const page = rows.slice(0, limit)
  return { deliveries: page.map(toDelivery), nextCursor: rows.length > limit ? String(page.at(-1)!.seq) : null }
}

/** One delivery with every attempt and the payload it sends. */
export async function getDelivery({ ctx, endpointId, deliveryId }: { ctx: WebhookContext; endpointId: string; deliveryId: string }): Promise<WebhookDeliveryDetail> {
  await requireEndpoint(ctx, endpointId)
  if (!isUuid(deliveryId)) throw deliveryNotFound()
  const row = await selectDelivery(ctx, endpointId, deliveryId)
  if (!row) throw deliveryNotFound()
  const sql = sqlClient()
  const [source] = await sql<{ data: unknown; test_event: WebhookPayload | null; created_at: string | null }[]>`
    select ev.data, d.test_event, ${sql.unsafe(iso('ev.created_at'))} as created_at
    from webhook_deliveries d left join instance_events ev on ev.id = d.event_id
    where d.id = ${deliveryId} and d.user_id = ${ctx.userId}`
  const payload: WebhookPayload = source.test_event ?? { event: row.event, instance: row.instance, data: source.data, id: row.event_id, timestamp: source.created_at! }
  const attempts = await sql<{ attempted_at: string; status_code: number | null; latency_ms: number | null; response_snippet: string | null; error: string | null }[]>`
    select ${sql.unsafe(iso('attempted_at'))} as attempted_at, status_code, latency_ms, response_snippet, error
    from webhook_attempts where delivery_id = ${deliveryId} order by attempted_at, id`
  const attemptLog: WebhookAttempt[] = attempts.map((a) => ({
    attemptedAt: a.attempted_at,
    statusCode: a.status_code,
    latencyMs: a.latency_ms,
    responseSnippet: a.response_snippet,
    error: a.error,
  }))
  return { ...toDelivery(row), payload, attemptLog }
}

/** One more attempt of any delivery, now (same X-Sage-Delivery id, a fresh timestamp and signature). */
export async function resendDelivery({ ctx, endpointId, deliveryId }: { ctx: WebhookContext; endpointId: string; deliveryId: string }): Promise<WebhookDelivery> {
  const endpoint = await requireEndpoint(ctx, endpointId)
  if (!isUuid(deliveryId)) throw deliveryNotFound()
  if (!endpoint.enabled) throw new ApiError('invalid_request', 'This endpoint is disabled; enable it before resending.', [{ field: 'enabled', message: 'The endpoint is disabled' }])
  const row = await selectDelivery(ctx, endpointId, deliveryId)
  if (!row) throw deliveryNotFound()
  await enqueueResend(sqlClient(), deliveryId)
  return toDelivery(row)
}

/**
 * Sends a WEBHOOK_TEST event to this endpoint only (whatever its event subset), signed and logged
 * like any other delivery. Its `instance` is the endpoint's instance filter, else the account's
 * first instance, else "test".
 */
export async function sendTestEvent({ ctx, endpointId }: { ctx: WebhookContext; endpointId: string }): Promise<WebhookDelivery> {
  const endpoint = await requireEndpoint(ctx, endpointId)
  if (!endpoint.enabled) throw new ApiError('invalid_request', 'This endpoint is disabled; enable it before sending a test event.', [{ field: 'enabled', message: 'The endpoint is disabled' }])
  const sql = sqlClient()
  const [first] = await sql<{ name: string }[]>`select name from instances where user_id = ${ctx.userId} order by created_at, name limit 1`
  const payload: WebhookPayload = {
    event: TEST_EVENT,
    instance: endpoint.instance ?? first?.name ?? 'test',
    data: { message: 'This is a test event from SAGE-API. If you can read it, your endpoint works.' },
    id: randomUUID(),
    timestamp: new Date().toISOString(),
  }
  const deliveryId = await sql.begin(async (tx) => {
    const [delivery] = await tx<{ id: string }[]>`
      insert into webhook_deliveries (endpoint_id, user_id, test_event, next_attempt_at)
      values (${endpointId}, ${ctx.userId}, ${tx.json(payload as never)}, now())
      returning id`
    await enqueueAttempt(tx, delivery.id, 1)
    return delivery.id
  })
  return toDelivery((await selectDelivery(ctx, endpointId, deliveryId))!)
}
