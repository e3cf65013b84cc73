/**
 * Whether an error means the database connection was lost or refused (rather than a statement
 * being wrong): postgres.js' connection codes, Node's socket errors, and Postgres' "shutting down"
 * and connection-exception classes (57P0x, 08xxx). Work that failed this way may simply be retried,
 * and a request that failed this way is answered 503 (lib/api/database-errors.ts).
 */
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '53300', // too_many_connections
  '57P01', // admin_shutdown (pg_terminate_backend)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
])

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true
  // A host with several addresses fails with an AggregateError of one error per address.
  const inner = (error as { errors?: unknown }).errors
  if (Array.isArray(inner)) return inner.some((each) => isDatabaseUnavailable(each, depth + 1))
  return isDatabaseUnavailable((error as { cause?: unknown }).cause, depth + 1)
}
