// Webhook delivery: graphile-worker hands us due jobs; each job is one attempt of one delivery.
import { Logger as JobLogger, type Task } from 'graphile-worker'
import { config } from '@/lib/config'
import { sqlClient } from '@/lib/db'
import type { Logger } from '@/lib/log'
import { sendEmail } from '@/lib/email/send'
import { endpointDisabledEmail } from '@/lib/webhooks/emails'
import { payloadBody } from '@/lib/webhooks/payload'
import { DELIVER_TASK, JOB_MAX_ATTEMPTS, type DeliverJobPayload } from '@/lib/webhooks/queue'
import { openSigningSecret } from '@/lib/webhooks/secrets'
import { observeWebhookAttempt } from '../metrics'
import type { ResolveHost } from '@/lib/webhooks/url-guard'
import {
  failForDisabledEndpoint,
  loadDeliveriesToSend,
  loadDeliveryToSend,
  recordAttemptOutcome,
  recordAttemptOutcomes,
  requeueStrandedDeliveries,
  type AttemptOutcome,
  type DeliveryToSend,
} from '@/lib/store/webhook-deliveries'
import type { DisabledEndpoint } from '@/lib/store/webhook-endpoints'
import { attemptDelivery } from './attempt'
import { Batcher } from './batcher'
import { PinnedConnections } from './connections'
import { signatureHeaders } from './sign'
import { startQueueRunner } from './queue-runner'

type DispatcherSettings = {
  retryScheduleMs: number[]
  timeoutMs: number
  staleLockMs: number
  disableAfterMs: number
  allowPrivate: boolean
  appUrl: string
  resolveHost?: ResolveHost
  /** A running dispatcher's shared statements and connections; without them a job does its own. */
  shared?: DispatcherShared
}

/**
 * What a running dispatcher's concurrent jobs share: their loads and their outcomes are each
 * written by one statement per batch (workers/webhooks/batcher.ts), and connections are kept alive
 * per approved address (workers/webhooks/connections.ts).
 */
type DispatcherShared = {
  loads: Batcher<string, DeliveryToSend | undefined>
  outcomes: Batcher<AttemptOutcome, DisabledEndpoint | null>
  connections: PinnedConnections
}

/** How long a host's approved DNS answer is reused before it is resolved and judged again. */
const DNS_RECHECK_MS = 30_000
/** Deliveries per load and per outcome statement, at most. */
const BATCH_SIZE = 100

function startShared(settings: DispatcherSettings): DispatcherShared {
  return {
    loads: new Batcher(async (ids) => {
      const rows = await loadDeliveriesToSend(ids)
      return ids.map((id) => rows.get(id))
    }, { maxSize: BATCH_SIZE }),
    outcomes: new Batcher((outcomes) => recordAttemptOutcomes(outcomes, settings), { maxSize: BATCH_SIZE, key: (outcome) => outcome.delivery.id }),
    connections: new PinnedConnections({ allowPrivate: settings.allowPrivate, timeoutMs: settings.timeoutMs, recheckMs: DNS_RECHECK_MS, resolveHost: settings.resolveHost }),
  }
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

/**
 * One attempt of one delivery, then its outcome recorded (and the next attempt scheduled) in one
 * transaction, shared with the other jobs finishing at the same time. The job ends only after that
 * commit, so a crash before it leaves the job to run again (at least once, never lost).
 */
export async function runDeliveryJob(job: DeliverJobPayload, settings: DispatcherSettings, log: Logger): Promise<void> {
  const shared = settings.shared
  const row = shared ? await shared.loads.add(job.deliveryId) : await loadDeliveryToSend(job.deliveryId)
  if (!row) return // deleted along with its endpoint
  if (!job.resend) {
    if (row.status !== 'pending') return
    // A job left over from a crash after the next attempt was already scheduled: that job owns it.
    if (row.scheduledLater) return
  }
  if (!row.endpoint.enabled) {
    if (!job.resend) await failForDisabledEndpoint(row.id)
    return
  }

  const payload = row.payload
  const body = payloadBody(payload)
  const timestamp = Math.floor(Date.now() / 1000)
  const headers = {
    ...signatureHeaders({
      secret: openSigningSecret(row.endpoint.id, row.endpoint.sealedSecret),
      previousSecret: row.endpoint.sealedPreviousSecret ? openSigningSecret(row.endpoint.id, row.endpoint.sealedPreviousSecret) : null,
      timestamp,
      body,
    }),
    'X-Sage-Instance': payload.instance,
    'X-Sage-Event': payload.event,
    'X-Sage-Delivery': row.id,
  }
  const result = await attemptDelivery({
    url: row.endpoint.url,
    headers,
    body,
    timeoutMs: settings.timeoutMs,
    allowPrivate: settings.allowPrivate,
    resolveHost: settings.resolveHost,
    connections: shared?.connections,
  })
  observeWebhookAttempt(result)
  log.debug({ deliveryId: row.id, attempt: job.attempt ?? 'resend', ok: result.ok, status: result.statusCode, ms: result.latencyMs }, 'webhook attempt')
  const delivery = { id: row.id, endpointId: row.endpoint.id }
  const disabled = shared ? await shared.outcomes.add({ delivery, job, result }) : await recordAttemptOutcome(delivery, job, result, settings)
  if (disabled) await notifyDisabled(disabled, settings, log)
}

async function notifyDisabled(endpoint: DisabledEndpoint, settings: DispatcherSettings, log: Logger): Promise<void> {
  log.warn({ url: endpoint.url }, 'webhook endpoint disabled after failing for days')
  try {
    await sendEmail(endpointDisabledEmail(endpoint.ownerEmail, { url: endpoint.url, failingSince: endpoint.failingSinceUtc, pageUrl: new URL('/webhooks', settings.appUrl).toString() }))
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
  const requeued = await requeueStrandedDeliveries(settings.staleLockMs)
  return { unlocked: stale.length, requeued }
}

/**
 * graphile-worker warns at every start that its pool is smaller than the concurrency. Not so here:
 * jobs are fetched and completed in batches and hold no connection while they run (queuePoolSize in
 * ./queue-runner.ts), so that warning says nothing an operator should act on.
 */
const POOL_SMALLER_THAN_CONCURRENCY = /having maxPoolSize \(\d+\) smaller than concurrency/

function jobLogger(log: Logger): JobLogger {
  return new JobLogger((scope) => (level, message, meta) => {
    const fields = { scope: { label: scope.label, jobId: scope.jobId }, ...(meta?.error ? { err: meta.error } : {}) }
    if (level === 'error') log.error(fields, `graphile-worker: ${message}`)
    else if (level === 'warning' && !POOL_SMALLER_THAN_CONCURRENCY.test(message)) log.warn(fields, `graphile-worker: ${message}`)
    else log.debug(fields, `graphile-worker: ${message}`)
  })
}

/**
 * Starts delivering webhooks in this process. Any number of processes may run one: graphile-worker
 * hands each job to exactly one of them (SKIP LOCKED), woken through LISTEN/NOTIFY.
 */
export async function startWebhookDispatcher({
  log,
  resolveHost,
  otherTasks = {},
}: {
  log: Logger
  resolveHost?: ResolveHost
  /** Other graphile-worker tasks this process runs on the same runner (the background export). */
  otherTasks?: Record<string, Task>
}): Promise<{ stop: () => Promise<void> }> {
  const base = { ...settingsFromConfig(), resolveHost }
  const settings = { ...base, shared: startShared(base) }
  const dispatcherLog = log.child({ component: 'webhooks' })
  const deliver: Task = async (payload) => {
    await runDeliveryJob(payload as DeliverJobPayload, settings, dispatcherLog)
  }
  const smallestDelay = Math.min(...settings.retryScheduleMs, 2_000)
  const runner = await startQueueRunner({
    concurrency: config().WEBHOOK_CONCURRENCY,
    // Future attempts (retries) are found by polling; new jobs arrive through LISTEN/NOTIFY.
    pollInterval: Math.max(100, Math.min(2_000, Math.floor(smallestDelay / 2))),
    taskList: { ...otherTasks, [DELIVER_TASK]: deliver },
    log: dispatcherLog,
    logger: jobLogger(dispatcherLog),
    // Jobs fetched WEBHOOK_CONCURRENCY at a time are locked while they wait; handing back the ones
    // still waiting after `localQueueTtlMs` keeps every lock younger than the stale-lock sweep's limit.
    batching: {
      localQueueSize: config().WEBHOOK_CONCURRENCY,
      localQueueTtlMs: Math.max(500, settings.staleLockMs - settings.timeoutMs - 1_000),
    },
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
      await settings.shared.connections.close()
      dispatcherLog.info('webhook dispatcher stopped')
    },
  }
}
