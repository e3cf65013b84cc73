/** Recorded events stay readable through /api/v1/events this long; the worker purges older ones (workers/events/retention.ts). */
export const EVENT_RETENTION_DAYS = 7
