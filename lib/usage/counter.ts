import 'server-only'
import { log } from '@/lib/log'
import { addUsageCounts, type UsageCount, type UsageMetric } from '@/lib/store/usage'

/**
 * API usage counted in memory and written in batches, as "last used" is (`lib/keys/last-used.ts`):
 * the hot path only bumps a number in a Map; one upsert per interval per process writes them all.
 * A crash loses at most one interval's counts, which charts by the hour can bear.
 */
const FLUSH_INTERVAL_MS = 10_000
const HOUR_MS = 3_600_000
const pending = new Map<string, UsageCount>()
let timer: NodeJS.Timeout | undefined

export type Caller = { userId: string; keyId: string; instanceId?: string }

const pendingKey = (subjectId: string, hourMs: number, metric: UsageMetric) => `${subjectId}|${hourMs}|${metric}`

function bump(entry: Omit<UsageCount, 'count'>, by: number): void {
  const id = pendingKey(entry.subjectId, entry.hour.getTime(), entry.metric)
  const existing = pending.get(id)
  if (existing) existing.count += by
  else pending.set(id, { ...entry, count: by })
}

/** The hot path's bump: an existing entry costs a string and a lookup; the hour's Date is made only for a new one. */
function bumpOne(userId: string, subjectKind: UsageCount['subjectKind'], subjectId: string, hourMs: number, metric: UsageMetric): void {
  const existing = pending.get(pendingKey(subjectId, hourMs, metric))
  if (existing) existing.count += 1
  else bump({ userId, subjectKind, subjectId, hour: new Date(hourMs), metric }, 1)
}

/** The metric an answer counts as: 429 is "rate limited", the rest by status class. */
export function metricOf(status: number): UsageMetric {
  if (status === 429) return 'rate_limited'
  if (status >= 500) return 'requests_5xx'
  if (status >= 400) return 'requests_4xx'
  return 'requests_2xx'
}

/** Counts one answered API call against its key and, when the path named one of the account's instances, that instance. */
export function countRequest(caller: Caller, status: number, at?: Date): void {
  const hourMs = Math.floor((at ? at.getTime() : Date.now()) / HOUR_MS) * HOUR_MS
  const metric = metricOf(status)
  bumpOne(caller.userId, 'key', caller.keyId, hourMs, metric)
  if (caller.instanceId) bumpOne(caller.userId, 'instance', caller.instanceId, hourMs, metric)
  timer ??= setInterval(() => void flushUsage(), FLUSH_INTERVAL_MS).unref()
}

/** Writes what was counted since the last flush; on failure the counts wait for the next one. */
export async function flushUsage(): Promise<void> {
  if (pending.size === 0) return
  const batch = [...pending.values()]
  pending.clear()
  try {
    await addUsageCounts(batch)
  } catch (error) {
    log.warn({ err: error }, 'could not record API usage; will retry')
    for (const entry of batch) bump(entry, entry.count)
  }
}
