import { isDatabaseUnavailable } from '@/lib/db/errors'
import { ApiError } from './errors'

/** Seconds a client is asked to wait when the database is out of reach (a restart or failover takes about this). */
export const DATABASE_RETRY_AFTER_SECONDS = 5

/** 503 `unavailable` with Retry-After when the error is a lost or refused database connection; else undefined. */
export function databaseUnavailable(error: unknown): ApiError | undefined {
  if (!isDatabaseUnavailable(error)) return undefined
  return new ApiError('unavailable', 'The database is out of reach for a moment; retry after the Retry-After delay.', undefined, {
    'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS),
  })
}
