// The event log's retention: events older than EVENT_RETENTION_DAYS are purged (their webhook deliveries with them).
import type { Logger } from '@/lib/log'
import { EVENT_RETENTION_DAYS } from '@/lib/events/retention'
import { purgeEventsOlderThan } from '@/lib/store/events'

const PURGE_EVERY_MS = 60 * 60_000

/** Purges once at start and then hourly; every worker does it, and a purge that finds nothing costs one indexed query. */
export function startEventRetention(log: Logger): { stop: () => void } {
  const purge = () =>
    purgeEventsOlderThan(EVENT_RETENTION_DAYS).then(
      (purged) => purged > 0 && log.info({ purged, days: EVENT_RETENTION_DAYS }, 'old events purged'),
      (error) => log.warn({ err: error }, 'event purge failed; will retry'),
    )
  void purge()
  const timer = setInterval(purge, PURGE_EVERY_MS)
  timer.unref()
  log.info({ days: EVENT_RETENTION_DAYS }, 'event retention started')
  return {
    stop: () => {
      clearInterval(timer)
      log.info('event retention stopped')
    },
  }
}
