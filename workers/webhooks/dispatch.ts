// Webhook delivery: graphile-worker hands us due jobs; each job is one attempt of one delivery.
import pg from 'pg'
import { Logger as JobLogger, run, type Task } from 'graphile-worker'
import { config } from '@/lib/config'
import { sqlClient } from '@/lib/db'
import type { Logger } from '@/lib/log'
import { sendEmail } from '@/lib/email/send'
import { endpointDisabledEmail } from '@/lib/webhooks/emails'
import { payloadBody, type WebhookPayload } from '@/lib/webhooks/payload'
import { DELIVER_TASK, DELIVERY_JOB_KEY_PREFIX, enqueueAttempt, JOB_MAX_ATTEMPTS, type DeliverJobPayload } from '@/lib/webhooks/queue'
import { openSigningSecret } from '@/lib/webhooks/secrets'
import type { ResolveHost } from '@/lib/webhooks/url-guard'
import { attemptDelivery, type AttemptResult } from './attempt'
import { signatureHeaders } from './sign'

type DispatcherSettings = {
  retryScheduleMs: number[]
  timeoutMs: number
  staleLockMs: number
  disableAfterMs: number
  allowPrivate: boolean
  appUrl: string
  resolveHost?: ResolveHost
}

function settingsFromConfig(): DispatcherSettings {
  const settings = config()
  return {
    retryScheduleMs: settings.WEBHOOK_RETRY_SCHEDULE_MS,
    timeoutMs: settings.WEBHOOK_TIMEOUT_MS,
    // A lock younger than one attempt's deadline may still be a live attempt.
    staleLockMs: Math.max(settings.WEBHOOK_STALE_LOCK_MS, settings.WEBHOOK_TIMEOUT_MS + 2_000),
    disableAfterMs: settings.WEBHOOK_DISABLE_AFTER_MS,
    allowPrivate: settings.WEBHOOK_ALLOW_PRIVATE_URLS,
    appUrl: settings.APP_URL,
  }
}

type DeliveryRow = {
  id: string
  status: 'pending' | 'succeeded' | 'failed'
  scheduled_later: boolean
  endpoint_id: string
  user_id: string
  url: string
  enabled: boolean
  secret: Buffer
  previous_secret: Buffer | null
  previous_valid: boolean
  event_id: string | null
  event: string | null
  instance_name: string | null
  data: unknown
  event_time: string | null
  test_event: WebhookPayload | null
}

async function loadDelivery(deliveryId: string): Promise<DeliveryRow | undefined> {
  const [row] = await sqlClient()<DeliveryRow[]>`
    select d.id, d.status, coalesce(d.next_attempt_at > now() + interval '1 second', false) as scheduled_later,
           e.id as endpoint_id, e.user_id, e.url, e.enabled, e.secret, e.previous_secret,
           coalesce(e.previous_secret_expires_at > now(), false) as previous_valid,
           ev.id as event_id, ev.event, ev.instance_name, ev.data,
           to_char(ev.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as event_time,
           d.test_event
    from webhook_deliveries d
    join webhook_endpoints e on e.id = d.endpoint_id
    left join instance_events ev on ev.id = d.event_id
    where d.id = ${deliveryId}`
  return row
}

function payloadOf(row: DeliveryRow): WebhookPayload {
  if (row.test_event) return row.test_event
  return { event: row.event!, instance: row.instance_name!, data: row.data, id: row.event_id!, timestamp: row.event_time! }
}

/** One attempt of one delivery, then its outcome recorded (and the next attempt scheduled) in one transaction. */
export async function runDeliveryJob(job: DeliverJobPayload, settings: DispatcherSettings, log: Logger): Promise<void> {
  const row = await loadDelivery(job.deliveryId)
  if (!row) return // deleted along with its endpoint
  if (!job.resend) {
    if (row.status !== 'pending') return
    // A job left over from a crash after the next attempt was already scheduled: that job owns it.
    if (row.scheduled_later) return
  }
  if (!row.enabled) {
    if (!job.resend) await sqlClient()`update webhook_deliveries set status = 'failed', next_attempt_at = null where id = ${row.id} and status = 'pending'`
    return
  }

  const payload = payloadOf(row)
  const body = payloadBody(payload)
  const timestamp = Math.floor(Date.now() / 1000)
  const headers = {
    ...signatureHeaders({
      secret: openSigningSecret(row.endpoint_id, row.secret),
      previousSecret: row.previous_secret && row.previous_valid ? openSigningSecret(row.endpoint_id, row.previous_secret) : null,
      timestamp,
      body,
    }),
    'X-Sage-Instance': payload.instance,
    'X-Sage-Event': payload.event,
    'X-Sage-Delivery': row.id,
  }
  const result = await attemptDelivery({
    url: row.url,
    headers,
    body,
    timeoutMs: settings.timeoutMs,
    allowPrivate: settings.allowPrivate,
    resolveHost: settings.resolveHost,
  })
  log.debug({ deliveryId: row.id, attempt: job.attempt ?? 'resend', ok: result.ok, status: result.statusCode, ms: result.latencyMs }, 'webhook attempt')
  const disabled = await recordOutcome(row, job, result, settings)
  if (disabled) await notifyDisabled(disabled, settings, log)
}

type DisabledEndpoint = { url: string; email: string; failing_since: string }

async function recordOutcome(row: DeliveryRow, job: DeliverJobPayload, result: AttemptResult, settings: DispatcherSettings) {
  return sqlClient().begin(async (tx) => {
    await tx`
      insert into webhook_attempts (delivery_id, status_code, latency_ms, response_snippet, error)
      values (${row.id}, ${result.statusCode}, ${result.latencyMs}, ${result.responseSnippet}, ${result.error})`
    if (result.ok) {
      await tx`
        update webhook_deliveries
        set status = 'succeeded', attempts = attempts + 1, last_attempt_at = now(), next_attempt_at = null
        where id = ${row.id}`
      await tx`update webhook_endpoints set failing_since = null where id = ${row.endpoint_id} and failing_since is not null`
      return null
    }

    if (job.resend) {
      // A manual resend is one extra attempt: it leaves a pending delivery's schedule alone.
      await tx`
        update webhook_deliveries
        set attempts = attempts + 1, last_attempt_at = now(), status = case when status = 'pending' then 'pending' else 'failed' end
        where id = ${row.id}`
    } else {
      const attempt = job.attempt ?? 1
      const delay = settings.retryScheduleMs[attempt - 1]
      if (delay === undefined) {
        await tx`
          update webhook_deliveries
          set status = 'failed', attempts = attempts + 1, last_attempt_at = now(), next_attempt_at = null
          where id = ${row.id}`
      } else {
        const [{ next }] = await tx`
          update webhook_deliveries
          set attempts = attempts + 1, last_attempt_at = now(), next_attempt_at = now() + ${delay} * interval '1 millisecond'
          where id = ${row.id}
          returning next_attempt_at::text as next`
        await enqueueAttempt(tx, row.id, attempt + 1, new Date(Date.parse(String(next))))
      }
    }

    // The endpoint's failing streak; days without a single success disable it.
    await tx`update webhook_endpoints set failing_since = coalesce(failing_since, now()) where id = ${row.endpoint_id}`
    const [disabled] = await tx<DisabledEndpoint[]>`
      update webhook_endpoints e
      set enabled = false, updated_at = now(),
          disabled_reason = 'Disabled automatically: every delivery failed for ' || ${Math.round(settings.disableAfterMs / 3_600_000)} || ' hours.'
      from users
      where e.id = ${row.endpoint_id} and users.id = e.user_id and e.enabled
        and e.failing_since < now() - ${settings.disableAfterMs} * interval '1 millisecond'
      returning e.url, users.email, to_char(e.failing_since at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"') as failing_since`
    return disabled ?? null
  })
}

async function notifyDisabled(endpoint: DisabledEndpoint, settings: DispatcherSettings, log: Logger): Promise<void> {
  log.warn({ url: endpoint.url }, 'webhook endpoint disabled after failing for days')
  try {
    await sendEmail(endpointDisabledEmail(endpoint.email, { url: endpoint.url, failingSince: endpoint.failing_since, pageUrl: new URL('/webhooks', settings.appUrl).toString() }))
  } catch (error) {
    log.error({ err: error, url: endpoint.url }, 'could not email the owner of a disabled webhook endpoint')
  }
}

/**
 * graphile-worker only frees the jobs of a crashed worker after 4 hours. An attempt cannot
 * legitimately hold its job longer than its timeout, so older locks belong to dead workers: free
 * them now (at least once: the receiver may see that delivery again, with the same
 * X-Sage-Delivery). Also re-enqueue pending deliveries whose job is gone (it exhausted its
 * graphile retries during a long outage), so no delivery is stranded.
 */
export async function sweepStaleDeliveries(settings: Pick<DispatcherSettings, 'staleLockMs'>): Promise<{ unlocked: number; requeued: number }> {
  const sql = sqlClient()
  const stale = await sql<{ locked_by: string }[]>`
    select distinct locked_by from graphile_worker.jobs
    where task_identifier = ${DELIVER_TASK} and locked_at < now() - ${settings.staleLockMs} * interval '1 millisecond'`
  if (stale.length) await sql`select graphile_worker.force_unlock_workers(${stale.map((row) => row.locked_by)}::text[])`
  const stranded = await sql<{ id: string }[]>`
    select d.id from webhook_deliveries d
    where d.status = 'pending' and d.next_attempt_at < now() - ${settings.staleLockMs} * interval '1 millisecond'
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
  return { unlocked: stale.length, requeued: stranded.length }
}

function jobLogger(log: Logger): JobLogger {
  return new JobLogger((scope) => (level, message, meta) => {
    const fields = { scope: { label: scope.label, jobId: scope.jobId }, ...(meta?.error ? { err: meta.error } : {}) }
    if (level === 'error') log.error(fields, `graphile-worker: ${message}`)
    else if (level === 'warning') log.warn(fields, `graphile-worker: ${message}`)
    else log.debug(fields, `graphile-worker: ${message}`)
  })
}

/**
 * Starts delivering webhooks in this process. Any number of processes may run one: graphile-worker
 * hands each job to exactly one of them (SKIP LOCKED), woken through LISTEN/NOTIFY.
 */
export async function startWebhookDispatcher({ log, resolveHost }: { log: Logger; resolveHost?: ResolveHost }): Promise<{ stop: () => Promise<void> }> {
  const settings = { ...settingsFromConfig(), resolveHost }
  const dispatcherLog = log.child({ component: 'webhooks' })
  const deliver: Task = async (payload) => {
    await runDeliveryJob(payload as DeliverJobPayload, settings, dispatcherLog)
  }
  const smallestDelay = Math.min(...settings.retryScheduleMs, 2_000)
  // Our own pool, so its clients keep an error listener for their whole life: graphile-worker drops
  // its listeners at stop, and a connection the server then closes (a restart, a dropped database)
  // must be logged, not crash the worker with an unhandled 'error' event.
  const pool = new pg.Pool({ connectionString: config().DATABASE_URL, max: config().WEBHOOK_CONCURRENCY + 2 })
  const onPoolError = (error: Error) => dispatcherLog.warn({ err: error }, 'webhook queue connection error')
  pool.on('error', onPoolError)
  pool.on('connect', (client) => client.on('error', onPoolError))
  const runner = await run({
    pgPool: pool,
    concurrency: config().WEBHOOK_CONCURRENCY,
    noHandleSignals: true,
    // Future attempts (retries) are found by polling; new jobs arrive through LISTEN/NOTIFY.
    pollInterval: Math.max(100, Math.min(2_000, Math.floor(smallestDelay / 2))),
    taskList: { [DELIVER_TASK]: deliver },
    logger: jobLogger(dispatcherLog),
  })

  let sweeping: Promise<unknown> = Promise.resolve()
  const sweepEvery = Math.max(250, Math.min(30_000, Math.floor(settings.staleLockMs / 2)))
  const timer = setInterval(() => {
    sweeping = sweepStaleDeliveries(settings).then(
      (swept) => {
        if (swept.unlocked || swept.requeued) dispatcherLog.warn(swept, 'recovered webhook deliveries of a dead worker or a long outage')
      },
      (error) => dispatcherLog.error({ err: error }, 'webhook sweep failed'),
    )
  }, sweepEvery)
  timer.unref()
  dispatcherLog.info({ concurrency: config().WEBHOOK_CONCURRENCY, retryScheduleMs: settings.retryScheduleMs, jobMaxAttempts: JOB_MAX_ATTEMPTS }, 'webhook dispatcher started')

  return {
    stop: async () => {
      clearInterval(timer)
      await sweeping
      await runner.stop()
      await pool.end()
      dispatcherLog.info('webhook dispatcher stopped')
    },
  }
}
