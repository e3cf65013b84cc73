import 'server-only'
import type { Executor } from '@/lib/store/sql'

/**
 * Deliveries are scheduled through graphile-worker (its schema `graphile_worker`, installed by
 * `migrateDatabase`). Jobs are added with its SQL `add_job` inside the caller's transaction, so a
 * delivery row and its job exist together or not at all; graphile wakes a dispatcher through
 * LISTEN/NOTIFY. Our own retry schedule lives in the job payload (`attempt`): each attempt that
 * fails adds the next job with `run_at`; graphile's own retries only cover crashes and outages.
 */
export const DELIVER_TASK = 'webhook_deliver'

/** Graphile-level retries of one job (the task threw: database down, a bug). Exponential, ~hours. */
export const JOB_MAX_ATTEMPTS = 12

export type DeliverJobPayload = {
  deliveryId: string
  /** 1-based position in the retry schedule; absent for a manual resend, which never reschedules. */
  attempt?: number
  resend?: boolean
}

/** The key of a delivery's scheduled (automatic) job: at most one is waiting per delivery. */
export const DELIVERY_JOB_KEY_PREFIX = 'webhook-delivery:'
export function deliveryJobKey(deliveryId: string): string {
  return `${DELIVERY_JOB_KEY_PREFIX}${deliveryId}`
}

export async function enqueueAttempt(sql: Executor, deliveryId: string, attempt: number, runAt: Date | null = null): Promise<void> {
  const payload: DeliverJobPayload = { deliveryId, attempt }
  await sql`
    select graphile_worker.add_job(
      ${DELIVER_TASK}, ${sql.json(payload as never)}::json,
      run_at := ${runAt}::timestamptz, max_attempts := ${JOB_MAX_ATTEMPTS}, job_key := ${deliveryJobKey(deliveryId)})`
}

export async function enqueueResend(sql: Executor, deliveryId: string): Promise<void> {
  const payload: DeliverJobPayload = { deliveryId, resend: true }
  await sql`select graphile_worker.add_job(${DELIVER_TASK}, ${sql.json(payload as never)}::json, max_attempts := ${JOB_MAX_ATTEMPTS})`
}
