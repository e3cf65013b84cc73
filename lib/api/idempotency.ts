import 'server-only'
import { createHash } from 'node:crypto'
import { sqlClient } from '@/lib/db'
import { log } from '@/lib/log'
import { ApiError } from './errors'
import { runUnderIdempotencyKey, type IdempotencyScope } from './idempotency-scope'

/** How long a key's first answer is kept (and a send found by its key). */
export const IDEMPOTENCY_WINDOW_HOURS = 24
const IN_PROGRESS_WAIT_MS = 30_000
/** A running request refreshes its claim this often; one not refreshed for ABANDONED_AFTER_MS lost its database or its process. */
const HEARTBEAT_MS = 2_000
const ABANDONED_AFTER_MS = 10_000
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/

export function requestFingerprint(method: string, path: string, body: ArrayBuffer): string {
  return createHash('sha256').update(`${method} ${path}\n`).update(Buffer.from(body)).digest('hex')
}

type StoredResponse = { status: number; body: unknown }

/**
 * Whether a response is the outcome to replay: one where something happened (a 2xx, or a 504 whose
 * message will still go out). Any other error did nothing — not connected yet, invalid, cancelled —
 * so, as with Stripe, the key is released and a retry with it runs for real. A 503 (the database
 * was lost mid-request) is released too although its send may have committed: the retry meets that
 * send by its key-derived id and answers with it (sendMessage), never a second one.
 */
function isFinal(status: number, body: unknown): boolean {
  if (status >= 200 && status < 300) return true
  const details = (body as { details?: { willBeSent?: boolean } })?.details
  return status === 504 && details?.willBeSent === true
}

/**
 * Idempotency-Key: the first request with a key runs; the same key with the same request within
 * 24 h gets the first response again and does nothing; with another request, 409. The key is
 * claimed by an insert, so two concurrent requests cannot both run.
 *
 * The record alone cannot promise "once": a lost database connection can hide whether the work
 * committed, and can stop the record's own last write. So the work runs under the key
 * (runUnderIdempotencyKey) and what it must not do twice is tied to the key itself (a send's
 * WhatsApp id is derived from it: sendMessage). The record only keeps concurrent requests apart and
 * remembers answers; one whose holder went silent (no heartbeat) is taken over by the next retry,
 * which then meets the work already done instead of doing it again.
 */
export async function withIdempotency(scope: IdempotencyScope, run: () => Promise<Response>): Promise<Response> {
  if (!KEY_PATTERN.test(scope.key)) {
    throw new ApiError('invalid_request', 'Idempotency-Key must be 1–255 printable ASCII characters.', [
      { field: 'Idempotency-Key', message: '1–255 printable ASCII characters' },
    ])
  }
  const sql = sqlClient()
  await sql`
    delete from idempotency_keys
    where user_id = ${scope.userId} and key = ${scope.key} and created_at < now() - make_interval(hours => ${IDEMPOTENCY_WINDOW_HOURS})`
  const [claimed] = await sql`
    insert into idempotency_keys (user_id, key, request_hash) values (${scope.userId}, ${scope.key}, ${scope.fingerprint})
    on conflict do nothing returning key`
  if (!claimed) return replay(scope, run)
  return runHoldingKey(scope, run)
}

async function runHoldingKey(scope: IdempotencyScope, run: () => Promise<Response>): Promise<Response> {
  const sql = sqlClient()
  const heartbeat = setInterval(() => {
    sql`update idempotency_keys set alive_at = now() where user_id = ${scope.userId} and key = ${scope.key} and response_status is null`.catch(() => {})
  }, HEARTBEAT_MS)
  heartbeat.unref()
  let response: Response
  try {
    response = await runUnderIdempotencyKey(scope, run)
  } catch (error) {
    clearInterval(heartbeat)
    await release(scope).catch((releaseError) => log.warn({ err: releaseError }, 'could not release an Idempotency-Key'))
    throw error
  }
  clearInterval(heartbeat)
  const body = await response.clone().json().catch(() => null)
  try {
    if (isFinal(response.status, body)) {
      await sql`
        update idempotency_keys set response_status = ${response.status}, response_body = ${sql.json(body as never)}
        where user_id = ${scope.userId} and key = ${scope.key}`
    } else {
      await release(scope)
    }
  } catch (error) {
    // The answer stands: what it reports happened. The record stays claimed, goes stale, and the
    // retry that takes it over finds the same work (a send by its key) rather than doing it again.
    log.warn({ err: error }, 'could not record the outcome of an Idempotency-Key')
  }
  return response
}

function release(scope: IdempotencyScope) {
  return sqlClient()`delete from idempotency_keys where user_id = ${scope.userId} and key = ${scope.key}`
}

async function replay(scope: IdempotencyScope, run: () => Promise<Response>): Promise<Response> {
  const deadline = Date.now() + IN_PROGRESS_WAIT_MS
  for (;;) {
    const sql = sqlClient()
    const [row] = await sql`
      select request_hash, response_status, response_body, alive_at < now() - make_interval(secs => ${ABANDONED_AFTER_MS / 1000}) as abandoned
      from idempotency_keys where user_id = ${scope.userId} and key = ${scope.key}`
    if (!row) throw new ApiError('idempotency_conflict', 'The first request with this Idempotency-Key failed without effect; retry with a new key.')
    if (row.request_hash !== scope.fingerprint) {
      throw new ApiError('idempotency_conflict', 'This Idempotency-Key was already used with a different request.')
    }
    if (row.response_status !== null) {
      const stored: StoredResponse = { status: Number(row.response_status), body: row.response_body }
      return Response.json(stored.body, { status: stored.status, headers: { 'Idempotent-Replayed': 'true' } })
    }
    if (row.abandoned) {
      const [taken] = await sql`
        update idempotency_keys set alive_at = now()
        where user_id = ${scope.userId} and key = ${scope.key} and response_status is null
          and alive_at < now() - make_interval(secs => ${ABANDONED_AFTER_MS / 1000})
        returning key`
      if (taken) return runHoldingKey(scope, run)
    }
    if (Date.now() > deadline) throw new ApiError('idempotency_conflict', 'A request with this Idempotency-Key is still in progress.')
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** Retention: deletes one batch of keys past their window that no request holds (a held key's alive_at is fresh). */
export async function pruneIdempotencyKeysBatch(batch: number): Promise<number> {
  const rows = await sqlClient()`
    delete from idempotency_keys where (user_id, key) in (
      select user_id, key from idempotency_keys
      where created_at < now() - make_interval(hours => ${IDEMPOTENCY_WINDOW_HOURS})
        and alive_at < now() - make_interval(secs => ${ABANDONED_AFTER_MS / 1000})
      limit ${batch} for update skip locked)
    returning 1`
  return rows.length
}
