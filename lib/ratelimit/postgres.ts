import 'server-only'
import { sqlClient } from '@/lib/db'
import type { LimitResult, RateLimiter } from './types'

type Waiter = { max: number; windowMs: number; resolve: (result: LimitResult) => void; reject: (error: unknown) => void }

/**
 * The built-in limiter: a sliding window over two fixed-window counters in Postgres, weighted like
 * Upstash's algorithm. The increment happens only if the weighted count stays within the cap, so
 * rejected calls do not eat into the next window, and every web process shares it.
 *
 * One statement per call, except that calls for a bucket that arrive while that bucket's statement
 * is in flight wait for it and then go together as one statement that takes all of them or none
 * (a group commit): the same counts as one statement each, in arrival order, so the limit stays
 * exact across processes; when the group does not fit whole, its calls go one statement each, as
 * before, and the cap lets exactly the ones that fit through. A busy key thus costs a fraction of a
 * statement per request instead of one.
 */
export class PostgresRateLimiter implements RateLimiter {
  readonly name = 'postgres'
  private readonly waiting = new Map<string, Waiter[]>()

  async limit(bucket: string, max: number, windowMs: number): Promise<LimitResult> {
    const queue = this.waiting.get(bucket)
    if (queue) return new Promise((resolve, reject) => queue.push({ max, windowMs, resolve, reject }))
    this.waiting.set(bucket, [])
    try {
      return (await this.take(bucket, max, windowMs, 1))[0]
    } finally {
      void this.drain(bucket)
    }
  }

  /** Runs what queued behind the statement that just finished, as one group per run, until nothing waits. */
  private async drain(bucket: string): Promise<void> {
    for (;;) {
      const queue = this.waiting.get(bucket) ?? []
      if (queue.length === 0) {
        this.waiting.delete(bucket)
        return
      }
      // Calls for one bucket carry the same key's cap; one that differs (an edit just landed) waits for the next group.
      const group = queue.filter((waiter) => waiter.max === queue[0].max && waiter.windowMs === queue[0].windowMs)
      this.waiting.set(bucket, queue.filter((waiter) => !group.includes(waiter)))
      try {
        const results = await this.take(bucket, group[0].max, group[0].windowMs, group.length)
        group.forEach((waiter, index) => waiter.resolve(results[index]))
      } catch (error) {
        for (const waiter of group) waiter.reject(error)
      }
    }
  }

  /** `count` calls in one statement, all granted or (for more than one) each tried alone. */
  private async take(bucket: string, max: number, windowMs: number, count: number): Promise<LimitResult[]> {
    const now = Date.now()
    const windowStart = now - (now % windowMs)
    const previousWeight = 1 - (now - windowStart) / windowMs
    // synchronous_commit off for this statement's own transaction only: every request of a key
    // increments the same row, and waiting for the WAL flush while holding its lock capped one key
    // near 3,000 requests/s here (npm run bench). A database crash may forget the last fraction of a
    // second of increments, which only ever errs on letting a few requests through.
    // Each value is sent once (a parameter per use made the statement's bind cost show in the profile).
    const [row] = await sqlClient()`
      with unflushed as (select set_config('synchronous_commit', 'off', true)),
      args as (
        select ${bucket}::text as bucket, ${windowStart}::bigint as window_start, ${windowStart - windowMs}::bigint as previous_start,
          ${count}::int as count, ${max}::int as max, ${previousWeight}::float8 as previous_weight
      ),
      previous as (
        select coalesce((select w.hits from rate_limit_windows w, args a where w.bucket = a.bucket and w.window_start = a.previous_start), 0) as hits
      ),
      carried as (
        select floor((select hits from previous) * (select previous_weight from args)) as hits
      ),
      current as (
        select coalesce((select w.hits from rate_limit_windows w, args a where w.bucket = a.bucket and w.window_start = a.window_start), 0) as hits
      ),
      bumped as (
        insert into rate_limit_windows (bucket, window_start, hits)
        select a.bucket, a.window_start, a.count from args a
        where (select hits from current) + a.count + (select hits from carried) <= a.max
        on conflict (bucket, window_start) do update set hits = rate_limit_windows.hits + excluded.hits
          where rate_limit_windows.hits + excluded.hits + (select hits from carried) <= (select max from args)
        returning hits
      )
      select (select hits from bumped) as hits, (select hits from current) as current_hits, (select hits from previous) as previous_hits,
        (select 1 from unflushed) as unflushed`
    const granted = row.hits !== null && row.hits !== undefined
    const weightedPrevious = Math.floor(Number(row.previous_hits) * previousWeight)
    // A window already full (its count only grows) refuses the whole group; one with some room left
    // lets exactly the calls that fit through, each with its own statement.
    const full = Number(row.current_hits) + weightedPrevious >= max
    if (!granted && count > 1 && !full) return Promise.all(Array.from({ length: count }, () => this.take(bucket, max, windowMs, 1).then(([result]) => result)))
    if (!granted) {
      const refused = { success: false, limit: max, remaining: 0, reset: retryAt(now, windowStart, windowMs, Number(row.current_hits), Number(row.previous_hits), max) }
      return Array.from({ length: count }, () => ({ ...refused }))
    }
    // The group's calls in arrival order, as if each had had its own statement.
    const firstHits = Number(row.hits) - count + 1
    return Array.from({ length: count }, (_, index) => ({
      success: true,
      limit: max,
      remaining: Math.max(0, max - (firstHits + index + weightedPrevious)),
      reset: windowStart + windowMs,
    }))
  }

  async peek(bucket: string, max: number, windowMs: number): Promise<LimitResult> {
    const now = Date.now()
    const windowStart = now - (now % windowMs)
    const previousWeight = 1 - (now - windowStart) / windowMs
    const [row] = await sqlClient()`
      select
        null::int as hits,
        coalesce((select hits from rate_limit_windows where bucket = ${bucket} and window_start = ${windowStart}), 0) as current_hits,
        coalesce((select hits from rate_limit_windows where bucket = ${bucket} and window_start = ${windowStart - windowMs}), 0) as previous_hits`
    const used = Number(row.current_hits) + Math.floor(Number(row.previous_hits) * previousWeight)
    return { success: used < max, limit: max, remaining: Math.max(0, max - used), reset: windowStart + windowMs }
  }
}

/**
 * When the weighted count next drops under the cap: the previous window's weight shrinks linearly,
 * so solve current + previous * (1 - t/window) < max for t, else wait for the window to roll.
 */
function retryAt(now: number, windowStart: number, windowMs: number, current: number, previous: number, max: number): number {
  if (current >= max || previous === 0) return windowStart + windowMs
  const neededWeight = (max - current) / previous
  const elapsedNeeded = (1 - neededWeight) * windowMs
  return Math.min(windowStart + windowMs, Math.max(now + 1, windowStart + Math.ceil(elapsedNeeded) + 1))
}

export type WindowCount = { bucket: string; windowStart: number; hits: number }

/**
 * Hits granted elsewhere (by Upstash) added to the same windows, so that if Upstash fails, this
 * limiter already knows what the window has used (UpstashRateLimiter mirrors its grants here).
 */
export async function addWindowHits(counts: WindowCount[]): Promise<void> {
  if (counts.length === 0) return
  await sqlClient()`
    with unflushed as (select set_config('synchronous_commit', 'off', true))
    insert into rate_limit_windows (bucket, window_start, hits)
    select bucket, window_start, hits from unnest(${counts.map((c) => c.bucket)}::text[], ${counts.map((c) => c.windowStart)}::bigint[], ${counts.map((c) => c.hits)}::int[])
      as added(bucket, window_start, hits), unflushed
    on conflict (bucket, window_start) do update set hits = rate_limit_windows.hits + excluded.hits`
}

/** Every bucket's count in these windows (for handing the windows back to Upstash after an outage). */
export async function windowCounts(windowStarts: number[]): Promise<WindowCount[]> {
  const rows = await sqlClient()`
    select bucket, window_start, hits from rate_limit_windows where window_start = any(${windowStarts}::bigint[]) and hits > 0`
  return rows.map((row) => ({ bucket: row.bucket as string, windowStart: Number(row.window_start), hits: Number(row.hits) }))
}

/** Retention: deletes one batch of windows that ended over an hour ago (a limit reads only the current and the previous window). */
export async function pruneRateLimitWindowsBatch(batch: number): Promise<number> {
  const rows = await sqlClient()`
    delete from rate_limit_windows where (bucket, window_start) in (
      select bucket, window_start from rate_limit_windows
      where window_start < ${Date.now() - 60 * 60_000}
      limit ${batch} for update skip locked)
    returning 1`
  return rows.length
}

/** A deleted account's counters (its keys' buckets) go with it. */
export async function forgetRateLimitBuckets(buckets: string[]): Promise<void> {
  if (buckets.length > 0) await sqlClient()`delete from rate_limit_windows where bucket = any(${buckets}::text[])`
}
