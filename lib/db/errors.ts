/**
 * Whether an error means the database connection was lost or refused (rather than a statement
 * being wrong): postgres.js' connection codes, Node's socket errors, and Postgres' "shutting down"
 * and connection-exception classes (57P0x, 08xxx). Work that failed this way may simply be retried.
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
  '53300', // too_many_connections
  '57P01', // admin_shutdown (pg_terminate_backend)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
])

export function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))
}
