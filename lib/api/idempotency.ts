import 'server-only'
import { createHash } from 'node:crypto'
import { sqlClient } from '@/lib/db'
import { ApiError } from './errors'

const WINDOW_HOURS = 24
const IN_PROGRESS_WAIT_MS = 30_000
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/

export function requestFingerprint(method: string, path: string, body: ArrayBuffer): string {
  return createHash('sha256').update(`${method} ${path}\n`).update(Buffer.from(body)).digest('hex')
}

type StoredResponse = { status: number; body: unknown }

/**
 * Whether a response is the outcome to replay: one where something happened (a 2xx, or a 504 whose
 * message will still go out). Any other error did nothing — not connected yet, invalid, cancelled —
 * so, as with Stripe, the key is released and a retry with it runs for real.
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
 */
export async function withIdempotency(
  scope: { userId: string; key: string; fingerprint: string },
  run: () => Promise<Response>,
): Promise<Response> {
  if (!KEY_PATTERN.test(scope.key)) {
    throw new ApiError('invalid_request', 'Idempotency-Key must be 1–255 printable ASCII characters.', [
      { field: 'Idempotency-Key', message: '1–255 printable ASCII characters' },
    ])
  }
  const sql = sqlClient()
  await sql`
    delete from idempotency_keys
    where user_id = ${scope.userId} and key = ${scope.key} and created_at < now() - make_interval(hours => ${WINDOW_HOURS})`
  const [claimed] = await sql`
    insert into idempotency_keys (user_id, key, request_hash) values (${scope.userId}, ${scope.key}, ${scope.fingerprint})
    on conflict do nothing returning key`
  if (!claimed) return replay(scope)

  let response: Response
  try {
    response = await run()
  } catch (error) {
    await sql`delete from idempotency_keys where user_id = ${scope.userId} and key = ${scope.key}`
    throw error
  }
  const body = await response.clone().json().catch(() => null)
  if (isFinal(response.status, body)) {
    await sql`
      update idempotency_keys set response_status = ${response.status}, response_body = ${sql.json(body as never)}
      where user_id = ${scope.userId} and key = ${scope.key}`
  } else {
    await sql`delete from idempotency_keys where user_id = ${scope.userId} and key = ${scope.key}`
  }
  return response
}

async function replay(scope: { userId: string; key: string; fingerprint: string }): Promise<Response> {
  const deadline = Date.now() + IN_PROGRESS_WAIT_MS
  for (;;) {
    const [row] = await sqlClient()`
      select request_hash, response_status, response_body from idempotency_keys where user_id = ${scope.userId} and key = ${scope.key}`
    if (!row) throw new ApiError('idempotency_conflict', 'The first request with this Idempotency-Key failed without effect; retry with a new key.')
    if (row.request_hash !== scope.fingerprint) {
      throw new ApiError('idempotency_conflict', 'This Idempotency-Key was already used with a different request.')
    }
    if (row.response_status !== null) {
      const stored: StoredResponse = { status: Number(row.response_status), body: row.response_body }
      return Response.json(stored.body, { status: stored.status, headers: { 'Idempotent-Replayed': 'true' } })
    }
    if (Date.now() > deadline) throw new ApiError('idempotency_conflict', 'A request with this Idempotency-Key is still in progress.')
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
