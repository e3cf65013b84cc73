import 'server-only'
import type { PendingQuery, Row } from 'postgres'
import type { DELIVERY_STATUSES } from '@/lib/db/schema/webhooks'
import type { EventType, InstanceIdentity } from '@/lib/events/types'
import type { WebhookPayload } from '@/lib/webhooks/payload'
import { DELIVER_TASK, DELIVERY_JOB_KEY_PREFIX, enqueueAttempt, enqueueResend, JOB_MAX_ATTEMPTS, type DeliverJobPayload } from '@/lib/webhooks/queue'
import { extendFailingStreaks, failingStreakChanges, settleFailingStreaksSql, type DisabledEndpoint } from './webhook-endpoints'
import { dateOrNull, sqlClient, type Executor } from './sql'

/**
 * The `webhook_deliveries` table and the `webhook_attempts` log beside it: one row type each and
 * every statement on them. A delivery is one event (or one test event) to one endpoint; its id is
 * X-Sage-Delivery. State rules kept here:
 *
 * - A delivery is `pending` → `succeeded` | `failed`, and never leaves those two. It is created with
 *   its first graphile job in one transaction (fan-out, test event), so it cannot be stranded jobless.
 * - Every attempt is logged in the same transaction as its outcome: the delivery's new status, its
 *   next attempt's scheduling (`next_attempt_at` and the job), and the endpoint's failing streak. A
 *   delivery is never marked done before its attempt is logged. The one exception: a pending
 *   delivery whose endpoint is disabled fails with no attempt, because nothing is sent to it.
 * - After the n-th scheduled attempt fails, the next one is due `retryScheduleMs[n-1]` later; when
 *   the schedule is exhausted the delivery fails.
 * - A manual resend is one extra attempt of any delivery: it counts and is logged, a success marks
 *   the delivery succeeded, and a failure leaves a pending delivery's schedule alone (a delivery
 *   that had already failed stays failed).
 * - Every query a customer can reach names the account (`user_id`) in its own `where`.
 */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

export type Attempt = {
  attemptedAt: Date
  /** Only in a delivery's full log (`findDeliveryWithLog`); null for attempts logged before headers were kept. */
  requestHeaders?: Record<string, string> | null
  statusCode: number | null
  latencyMs: number | null
  responseSnippet: string | null
  error: string | null
}

export type Delivery = {
  id: string
  /** Orders an endpoint's deliveries; the delivery log's page cursor. */
  seq: string
  endpointId: string
  status: DeliveryStatus
  attempts: number
  /** The event's name, id and instance, read from the event (or from the test event's own payload). */
  event: string
  eventId: string
  instance: string
  createdAt: Date
  lastAttemptAt: Date | null
  nextAttemptAt: Date | null
  lastAttempt: Attempt | null
}

function toAttempt(row: Record<string, unknown>): Attempt {
  return {
    attemptedAt: new Date(row.attempted_at as string),
    statusCode: (row.status_code as number | null) ?? null,
    latencyMs: (row.latency_ms as number | null) ?? null,
    responseSnippet: (row.response_snippet as string | null) ?? null,
    error: (row.error as string | null) ?? null,
    ...(row.request_headers !== undefined ? { requestHeaders: (row.request_headers as Record<string, string> | null) ?? null } : {}),
  }
}

function toDelivery(row: Record<string, unknown>): Delivery {
  return {
    id: row.id as string,
    seq: String(row.seq),
    endpointId: row.endpoint_id as string,
    status: row.status as DeliveryStatus,
    attempts: Number(row.attempts),
    event: row.event as string,
    eventId: row.event_id as string,
    instance: row.instance as string,
    createdAt: new Date(row.created_at as string),
    lastAttemptAt: dateOrNull(row.last_attempt_at),
    nextAttemptAt: dateOrNull(row.next_attempt_at),
    lastAttempt: row.attempted_at ? toAttempt(row) : null,
  }
}

/** The body a delivery sends, the same on every attempt: a test event's own, or built from its event. */
function payloadOf(row: Record<string, unknown>): WebhookPayload {
  if (row.test_event) return row.test_event as WebhookPayload
  return {
    event: row.event as string,
    instance: row.instance as string,
    data: row.data,
    id: row.event_id as string,
    timestamp: new Date(row.event_created_at as string).toISOString(),
    ...(row.sandbox === true ? { sandbox: true } : {}),
  }
}

// One statement per page: each delivery with its event and its latest attempt.
const COLUMNS = `
  d.id, d.seq, d.endpoint_id, d.status, d.attempts, d.created_at, d.last_attempt_at, d.next_attempt_at,
  coalesce(ev.event, d.test_event->>'event') as event,
  coalesce(ev.id::text, d.test_event->>'id') as event_id,
  coalesce(ev.instance_name, d.test_event->>'instance') as instance,
  (select i.sandbox from instances i where i.id = ev.instance_id) as sandbox,
  last.attempted_at, last.status_code, last.latency_ms, last.response_snippet, last.error`
const FROM = `
  from webhook_deliveries d
  join webhook_endpoints e on e.id = d.endpoint_id and e.user_id = d.user_id
  left join instance_events ev on ev.id = d.event_id
  left join lateral (
    select a.attempted_at, a.status_code, a.latency_ms, a.response_snippet, a.error
    from webhook_attempts a where a.delivery_id = d.id order by a.attempted_at desc, a.id desc limit 1
  ) last on true`

// ---------------------------------------------------------------- creation

/**
 * Fans a just-recorded event out to the account's enabled endpoints that subscribe to its type (and
 * to its instance, when an endpoint is filtered to one): one delivery and one graphile job each. These
 * are CTEs for the statement that inserts the event (recordEvent, lib/store/events.ts), which names
 * it by `eventId` (a SQL expression) and must read `fanned_out` (Postgres runs a plain SELECT CTE only
 * when it is read). So a rolled-back event produces no delivery, a committed one cannot miss its
 * deliveries, and recording an event with its fan-out is one round trip.
 */
export function webhookFanOut(sql: Executor, eventId: PendingQuery<Row[]>, event: { instance: InstanceIdentity; type: EventType }) {
  return sql`
    targets as (
      select id from webhook_endpoints
      where user_id = ${event.instance.userId}
        and enabled
        and ${event.type} = any(events)
        and (instance_id is null or instance_id = ${event.instance.id})
    ), deliveries as (
      insert into webhook_deliveries (endpoint_id, event_id, user_id, next_attempt_at)
      select id, ${eventId}, ${event.instance.userId}, now() from targets
      returning id
    ), fanned_out as (
      select graphile_worker.add_job(
        ${DELIVER_TASK},
        json_build_object('deliveryId', deliveries.id, 'attempt', 1),
        max_attempts := ${JOB_MAX_ATTEMPTS},
        job_key := ${DELIVERY_JOB_KEY_PREFIX} || deliveries.id
      ) as job from deliveries
    )`
}

/**
 * A test event to one endpoint of the account, with its first attempt queued in the same
 * transaction; undefined when the account has no such endpoint.
 */
export async function createTestDelivery(userId: string, endpointId: string, payload: WebhookPayload): Promise<Delivery | undefined> {
  const deliveryId = await sqlClient().begin(async (tx) => {
    const [delivery] = await tx`
      insert into webhook_deliveries (endpoint_id, user_id, test_event, next_attempt_at)
      select e.id, e.user_id, ${tx.json(payload as never)}, now() from webhook_endpoints e
      where e.id = ${endpointId} and e.user_id = ${userId}
      returning id`
    if (delivery) await enqueueAttempt(tx, delivery.id, 1)
    return delivery?.id as string | undefined
  })
  return deliveryId ? findDelivery(userId, endpointId, deliveryId) : undefined
}

/**
 * Queues one extra attempt of the account's delivery now, whatever its status; its schedule is
 * left alone. Returns the delivery as it was, or undefined when the account has no such delivery.
 */
export async function queueResend(userId: string, endpointId: string, deliveryId: string): Promise<Delivery | undefined> {
  const delivery = await findDelivery(userId, endpointId, deliveryId)
  if (delivery) await enqueueResend(sqlClient(), delivery.id)
  return delivery
}

// ---------------------------------------------------------------- the delivery log, scoped to an account

/** One page of the endpoint's deliveries, newest first; `nextCursor` is the `before` of the next page. */
export async function listDeliveries(
  userId: string,
  endpointId: string,
  page: { limit: number; status?: DeliveryStatus; event?: string; instance?: string; before?: string },
): Promise<{ deliveries: Delivery[]; nextCursor: string | null }> {
  const sql = sqlClient()
  const rows = await sql`
    select ${sql.unsafe(COLUMNS)} ${sql.unsafe(FROM)}
    where d.endpoint_id = ${endpointId} and d.user_id = ${userId}
      ${page.status ? sql`and d.status = ${page.status}` : sql``}
      ${page.event ? sql`and coalesce(ev.event, d.test_event->>'event') = ${page.event}` : sql``}
      ${page.instance ? sql`and coalesce(ev.instance_name, d.test_event->>'instance') = ${page.instance}` : sql``}
      ${page.before ? sql`and d.seq < ${page.before}` : sql``}
    order by d.seq desc limit ${page.limit + 1}`
  const deliveries = rows.slice(0, page.limit).map(toDelivery)
  return { deliveries, nextCursor: rows.length > page.limit ? deliveries.at(-1)!.seq : null }
}

export async function findDelivery(userId: string, endpointId: string, deliveryId: string): Promise<Delivery | undefined> {
  const sql = sqlClient()
  const [row] = await sql`
    select ${sql.unsafe(COLUMNS)} ${sql.unsafe(FROM)}
    where d.id = ${deliveryId} and d.endpoint_id = ${endpointId} and d.user_id = ${userId}`
  return row ? toDelivery(row) : undefined
}

/** A delivery with the payload it sends and every attempt, oldest first. */
export async function findDeliveryWithLog(
  userId: string,
  endpointId: string,
  deliveryId: string,
): Promise<(Delivery & { payload: WebhookPayload; attemptLog: Attempt[] }) | undefined> {
  const sql = sqlClient()
  const [row] = await sql`
    select ${sql.unsafe(COLUMNS)}, ev.data, ev.created_at as event_created_at, d.test_event ${sql.unsafe(FROM)}
    where d.id = ${deliveryId} and d.endpoint_id = ${endpointId} and d.user_id = ${userId}`
  if (!row) return undefined
  const attempts = await sql`
    select a.attempted_at, a.status_code, a.latency_ms, a.response_snippet, a.error, a.request_headers
    from webhook_attempts a join webhook_deliveries d on d.id = a.delivery_id
    where a.delivery_id = ${deliveryId} and d.user_id = ${userId}
    order by a.attempted_at, a.id`
  return { ...toDelivery(row), payload: payloadOf(row), attemptLog: attempts.map(toAttempt) }
}

/** The account's finished deliveries per UTC day since `since`: succeeded and failed (retrying ones are not counted yet). */
export async function deliveriesPerDay(userId: string, since: Date): Promise<{ day: string; succeeded: number; failed: number }[]> {
  const rows = await sqlClient()`
    select to_char(date_trunc('day', created_at at time zone 'utc'), 'YYYY-MM-DD') as day,
           count(*) filter (where status = 'succeeded')::int as succeeded,
           count(*) filter (where status = 'failed')::int as failed
    from webhook_deliveries
    where user_id = ${userId} and created_at >= ${since} and endpoint_id = any(select id from webhook_endpoints where user_id = ${userId})
    group by 1 order by 1`
  return rows.map((row) => ({ day: row.day as string, succeeded: Number(row.succeeded), failed: Number(row.failed) }))
}

// ---------------------------------------------------------------- dispatcher

/** What one attempt needs: the delivery's state, its endpoint's target and secrets, and the payload. */
export type DeliveryToSend = {
  id: string
  status: DeliveryStatus
  /** Its next attempt is due later: a job left over from a crash must leave it to that attempt's job. */
  scheduledLater: boolean
  endpoint: {
    id: string
    url: string
    enabled: boolean
    sealedSecret: Buffer
    /** Only while the rotation overlap lasts. */
    sealedPreviousSecret: Buffer | null
  }
  payload: WebhookPayload
}

export async function loadDeliveryToSend(deliveryId: string): Promise<DeliveryToSend | undefined> {
  return (await loadDeliveriesToSend([deliveryId])).get(deliveryId)
}

/** Many deliveries' attempt material in one statement (the dispatcher's concurrent jobs, batched); a deleted one is absent. */
export async function loadDeliveriesToSend(deliveryIds: string[]): Promise<Map<string, DeliveryToSend>> {
  const rows = await sqlClient()`
    select d.id, d.status, coalesce(d.next_attempt_at > now() + interval '1 second', false) as scheduled_later,
           e.id as endpoint_id, e.url, e.enabled, e.secret,
           case when e.previous_secret_expires_at > now() then e.previous_secret end as previous_secret,
           ev.id as event_id, ev.event, ev.instance_name as instance, ev.data, ev.created_at as event_created_at,
           (select i.sandbox from instances i where i.id = ev.instance_id) as sandbox,
           d.test_event
    from webhook_deliveries d
    join webhook_endpoints e on e.id = d.endpoint_id
    left join instance_events ev on ev.id = d.event_id
    where d.id = any(${deliveryIds}::uuid[])`
  return new Map(
    rows.map((row) => [
      row.id as string,
      {
        id: row.id,
        status: row.status,
        scheduledLater: Boolean(row.scheduled_later),
        endpoint: { id: row.endpoint_id, url: row.url, enabled: Boolean(row.enabled), sealedSecret: row.secret, sealedPreviousSecret: row.previous_secret ?? null },
        payload: payloadOf(row),
      },
    ]),
  )
}

/** A pending delivery whose endpoint is disabled fails without an attempt. */
export async function failForDisabledEndpoint(deliveryId: string): Promise<void> {
  await sqlClient()`update webhook_deliveries set status = 'failed', next_attempt_at = null where id = ${deliveryId} and status = 'pending'`
}

/** What the attempt log keeps of one POST. */
export type AttemptResult = {
  ok: boolean
  statusCode: number | null
  latencyMs: number
  responseSnippet: string | null
  error: string | null
  /** The headers as sent; the delivery page shows them with the body. */
  requestHeaders?: Record<string, string>
}

/** One finished attempt, waiting to be logged with its outcome. */
export type AttemptOutcome = { delivery: { id: string; endpointId: string }; job: DeliverJobPayload; result: AttemptResult }

/**
 * Logs one attempt and applies its outcome in one transaction (see the rules above). Returns the
 * endpoint when this failure disabled it, so its owner can be told.
 */
export async function recordAttemptOutcome(
  delivery: { id: string; endpointId: string },
  job: DeliverJobPayload,
  result: AttemptResult,
  rules: { retryScheduleMs: number[]; disableAfterMs: number },
): Promise<DisabledEndpoint | null> {
  const [disabled] = await recordAttemptOutcomes([{ delivery, job, result }], rules)
  return disabled
}

/**
 * Logs many attempts and applies their outcomes atomically, as if one after the other in the given
 * order (the dispatcher's concurrent jobs, group-committed): every attempt row, each delivery's new
 * status and next attempt (row and job), and the endpoints' failing streaks. When no endpoint's
 * streak has to grow (the usual case: every attempt succeeded) this is a single statement; else one
 * transaction. A delivery may appear only once per call. Returns, per outcome, the endpoint it
 * disabled (once per endpoint), or null.
 */
export async function recordAttemptOutcomes(outcomes: AttemptOutcome[], rules: { retryScheduleMs: number[]; disableAfterMs: number }): Promise<(DisabledEndpoint | null)[]> {
  if (new Set(outcomes.map((outcome) => outcome.delivery.id)).size !== outcomes.length) throw new Error('one outcome per delivery per batch')
  const rows = outcomes.map(({ delivery, job, result }, ord) => {
    const attempt = job.attempt ?? 1
    const retryDelayMs = result.ok || job.resend ? null : (rules.retryScheduleMs[attempt - 1] ?? null)
    return {
      ord,
      id: delivery.id,
      ok: result.ok,
      resend: Boolean(job.resend),
      retry_delay_ms: retryDelayMs,
      next_attempt: retryDelayMs === null ? null : attempt + 1,
      status_code: result.statusCode,
      latency_ms: result.latencyMs,
      response_snippet: result.responseSnippet,
      error: result.error,
      request_headers: result.requestHeaders ?? null,
    }
  })
  const streaks = failingStreakChanges(outcomes.map(({ delivery, result }) => ({ endpointId: delivery.endpointId, ok: result.ok })))
  const write = async (sql: Executor) => {
    await sql`
      with input as (
        select * from json_to_recordset(${sql.json(rows as never)}::json) as x(
          ord int, id uuid, ok boolean, resend boolean, retry_delay_ms int, next_attempt int,
          status_code int, latency_ms int, response_snippet text, error text, request_headers jsonb)
      ), logged as (
        insert into webhook_attempts (delivery_id, status_code, latency_ms, response_snippet, error, request_headers)
        select id, status_code, latency_ms, response_snippet, error, request_headers from input order by ord
        returning 1
      ), settled as (
        update webhook_deliveries d
        set attempts = d.attempts + 1, last_attempt_at = now(),
            -- A manual resend is one extra attempt: it leaves a pending delivery's schedule alone.
            status = case when i.ok then 'succeeded'
                          when i.resend then case when d.status = 'pending' then 'pending' else 'failed' end
                          when i.retry_delay_ms is null then 'failed'
                          else d.status end,
            next_attempt_at = case when i.ok then null
                                   when i.resend then d.next_attempt_at
                                   when i.retry_delay_ms is null then null
                                   else now() + i.retry_delay_ms * interval '1 millisecond' end
        from input i where d.id = i.id
        returning d.id, d.next_attempt_at, i.next_attempt
      ), queued as (
        select graphile_worker.add_job(
          ${DELIVER_TASK}, json_build_object('deliveryId', s.id, 'attempt', s.next_attempt),
          run_at := s.next_attempt_at, max_attempts := ${JOB_MAX_ATTEMPTS}, job_key := ${DELIVERY_JOB_KEY_PREFIX} || s.id)
        from settled s where s.next_attempt is not null
      ), streaks as (
        ${settleFailingStreaksSql(sql, streaks.settle)}
      )
      select (select count(*) from logged) as logged, (select count(*) from queued) as queued, (select count(*) from streaks) as streaks`
  }
  if (streaks.extend.length === 0) {
    await write(sqlClient())
    return outcomes.map(() => null)
  }
  return sqlClient().begin(async (tx) => {
    // The streaks that grow come first: a later success in this batch still ends them.
    const disabled = await extendFailingStreaks(tx, streaks.extend, rules.disableAfterMs)
    await write(tx)
    const told = new Set<string>()
    return outcomes.map(({ delivery, result }) => {
      const endpoint = disabled.get(delivery.endpointId)
      if (!endpoint || result.ok || told.has(delivery.endpointId)) return null
      told.add(delivery.endpointId)
      return endpoint
    })
  })
}

/**
 * Pending deliveries overdue by `overdueMs` whose job is gone (it exhausted graphile's own retries
 * during a long outage) get their next attempt queued again, so no delivery is stranded. Returns
 * how many were found (at most 500 a sweep).
 */
export async function requeueStrandedDeliveries(overdueMs: number): Promise<number> {
  const sql = sqlClient()
  const stranded = await sql<{ id: string }[]>`
    select d.id from webhook_deliveries d
    where d.status = 'pending' and d.next_attempt_at < now() - ${overdueMs} * interval '1 millisecond'
      and not exists (
        select 1 from graphile_worker.jobs j
        where j.key = ${DELIVERY_JOB_KEY_PREFIX} || d.id and j.attempts < j.max_attempts)
    limit 500`
  for (const { id } of stranded) {
    await sql.begin(async (tx) => {
      const [attempts] = await tx`select attempts from webhook_deliveries where id = ${id} and status = 'pending' for update`
      if (attempts) await enqueueAttempt(tx, id, attempts.attempts + 1)
    })
  }
  return stranded.length
}

/** Metrics: deliveries not yet succeeded or given up on. */
export async function countPendingDeliveries(): Promise<number> {
  const [row] = await sqlClient()`select count(*)::int as n from webhook_deliveries where status = 'pending'`
  return row.n as number
}

/**
 * Retention: deletes one batch of the account's finished deliveries older than `days` (their attempts
 * go with them). A pending one is kept: its job may still run.
 */
export async function pruneAccountDeliveriesBatch(userId: string, days: number, batch: number): Promise<number> {
  const rows = await sqlClient()`
    delete from webhook_deliveries where id in (
      select id from webhook_deliveries
      where endpoint_id in (select id from webhook_endpoints where user_id = ${userId})
        and user_id = ${userId} and status <> 'pending' and created_at < now() - make_interval(days => ${days})
      limit ${batch} for update skip locked)
    returning 1`
  return rows.length
}
