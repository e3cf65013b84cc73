import { ApiError } from './errors'

/** Seconds a client is asked to wait when the database is out of reach (a restart or failover takes about this). */
export const DATABASE_RETRY_AFTER_SECONDS = 5

// postgres.js's own codes for a connection it lost or could not make, and Node's socket errors.
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])
// SQLSTATEs of a server going away or refusing connections: admin_shutdown, crash_shutdown,
// cannot_connect_now, too_many_connections; class 08 is every connection exception.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300'])

function isConnectionLoss(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true
  // A host with several addresses fails with an AggregateError of one error per address.
  const inner = (error as { errors?: unknown }).errors
  if (Array.isArray(inner)) return inner.some((each) => isConnectionLoss(each, depth + 1))
  return isConnectionLoss((error as { cause?: unknown }).cause, depth + 1)
}

/** 503 `unavailable` with Retry-After when the error is a lost or refused database connection; else undefined. */
export function databaseUnavailable(error: unknown): ApiError | undefined {
  if (!isConnectionLoss(error)) return undefined
  return new ApiError('unavailable', 'The database is out of reach for a moment; retry after the Retry-After delay.', undefined, {
    'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS),
  })
}
