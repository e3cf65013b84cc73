import 'server-only'
import { Ratelimit } from '@upstash/ratelimit'
import { Redis } from '@upstash/redis'
import { log } from '@/lib/log'
import { addWindowHits, windowCounts, type WindowCount } from './postgres'
import type { LimitResult, RateLimiter } from './types'

/** An Upstash call slower than this counts as a failure (the request is limited by the fallback instead). */
export const UPSTASH_TIMEOUT_MS = 1000
/** After a failure, calls go straight to the fallback for this long before Upstash is tried again. */
const RETRY_UPSTASH_AFTER_MS = 5000
/** Grants are mirrored into the fallback's counters this often. */
const MIRROR_FLUSH_MS = 1000
/**
 * Other processes mirror their grants on their own timer: a process that starts falling back waits
 * this long once, so that what the others granted just before the outage is in Postgres before it
 * counts there.
 */
const SETTLE_MS = MIRROR_FLUSH_MS + 250
/** /status reports degraded for this long after this process last had to fall back. */
const DEGRADED_AFTER_FALLBACK_MS = 60_000

// Raises a counter to at least the given value (and gives a new key the same expiry
// @upstash/ratelimit's sliding window gives its own keys).
const RAISE_TO_AT_LEAST = `
for i, key in ipairs(KEYS) do
  local wanted = tonumber(ARGV[i + 1])
  local current = tonumber(redis.call('GET', key) or '0')
  if current < wanted then
    redis.call('SET', key, wanted, 'PX', ARGV[1])
  end
end
return 1`

class UpstashTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UpstashTimeout(`Upstash did not answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

const windowStartOf = (now: number, windowMs: number) => now - (now % windowMs)

/**
 * @upstash/ratelimit's sliding window, with the Postgres limiter as its fallback, counting one window
 * together so that an Upstash outage and its recovery never grant more than the limit:
 * - every grant Upstash makes is mirrored (batched, every second) into the Postgres counters;
 * - when Upstash fails or is slow, this process flushes its mirror, waits (once) for the other
 *   processes' next flush, then limits with Postgres, which therefore sees what the window has used;
 * - before this process uses Upstash again, it raises Upstash's counters of the current and previous
 *   window to Postgres' counts (never lowering them), so the outage's calls still count.
 * What is left is in the README's rate-limit section (a process that dies with unflushed grants).
 */
export class UpstashRateLimiter implements RateLimiter {
  readonly name = 'upstash'
  private readonly redis: Redis
  private readonly limiters = new Map<string, Ratelimit>()
  private readonly retryUpstashAfterMs: number
  private skipUpstashUntil = 0
  private lastFallbackAt = 0
  /** When this process's current run of fallbacks began (0 while Upstash answers). */
  private degradedSince = 0
  /** Windows (by length) whose Postgres counts must reach Upstash before Upstash is used again. */
  private readonly toHandBack = new Set<number>()
  private handingBack: Promise<void> | undefined
  private mirrored = new Map<string, WindowCount>()
  private flushing: Promise<void> = Promise.resolve()
  private readonly flushTimer: NodeJS.Timeout

  constructor(
    options: { url: string; token: string },
    private readonly fallback: RateLimiter,
    tuning: { retryUpstashAfterMs?: number } = {},
  ) {
    this.redis = new Redis({ url: options.url, token: options.token, retry: false, enableTelemetry: false })
    this.retryUpstashAfterMs = tuning.retryUpstashAfterMs ?? RETRY_UPSTASH_AFTER_MS
    this.flushTimer = setInterval(() => void this.flushMirror(), MIRROR_FLUSH_MS)
    this.flushTimer.unref()
  }

  private prefix(windowMs: number): string {
    // Counts are per bucket and window, not per limit: an edited limit keeps the window's count (as in Postgres).
    return `sage:rl:${windowMs}`
  }

  private limiterFor(max: number, windowMs: number): Ratelimit {
    const id = `${max}/${windowMs}`
    let limiter = this.limiters.get(id)
    if (!limiter) {
      limiter = new Ratelimit({
        redis: this.redis,
        limiter: Ratelimit.slidingWindow(max, `${windowMs} ms`),
        prefix: this.prefix(windowMs),
        ephemeralCache: false, // an in-process cache would let an edited limit lag behind
        timeout: 0, // our own timeout below: @upstash/ratelimit's would answer "allowed" on a timeout
        analytics: false,
      })
      this.limiters.set(id, limiter)
    }
    return limiter
  }

  async limit(bucket: string, max: number, windowMs: number): Promise<LimitResult> {
    const startedAt = Date.now()
    if (startedAt < this.skipUpstashUntil) return this.fallBack(bucket, max, windowMs, startedAt)
    try {
      if (this.toHandBack.has(windowMs)) await this.handBack(windowMs)
      const response = await withTimeout(this.limiterFor(max, windowMs).limit(bucket), UPSTASH_TIMEOUT_MS)
      this.degradedSince = 0
      if (response.success) this.mirror(bucket, windowStartOf(Date.now(), windowMs))
      return { success: response.success, limit: response.limit, remaining: response.remaining, reset: response.reset }
    } catch (error) {
      log.warn({ err: error }, 'upstash rate limit failed; using the built-in limiter')
      this.skipUpstashUntil = Date.now() + this.retryUpstashAfterMs
      return this.fallBack(bucket, max, windowMs, startedAt)
    }
  }

  /** `since`: when the call that falls back began (Upstash was failing it from then on). */
  private async fallBack(bucket: string, max: number, windowMs: number, since: number): Promise<LimitResult> {
    this.lastFallbackAt = Date.now()
    this.degradedSince ||= since
    this.toHandBack.add(windowMs)
    await this.flushMirror()
    const settled = this.degradedSince + SETTLE_MS - Date.now()
    if (settled > 0) await new Promise((resolve) => setTimeout(resolve, settled))
    return this.fallback.limit(bucket, max, windowMs)
  }

  async peek(bucket: string, max: number, windowMs: number): Promise<LimitResult> {
    if (Date.now() < this.skipUpstashUntil || this.toHandBack.has(windowMs)) return this.fallback.peek(bucket, max, windowMs)
    try {
      const { remaining, reset } = await withTimeout(this.limiterFor(max, windowMs).getRemaining(bucket), UPSTASH_TIMEOUT_MS)
      return { success: remaining > 0, limit: max, remaining, reset }
    } catch {
      return this.fallback.peek(bucket, max, windowMs)
    }
  }

  /** One hand-back at a time per process; every call waiting on it uses Upstash only once it is done. */
  private handBack(windowMs: number): Promise<void> {
    this.handingBack ??= (async () => {
      await this.flushMirror()
      const current = windowStartOf(Date.now(), windowMs)
      const counts = await windowCounts([current - windowMs, current])
      for (let start = 0; start < counts.length; start += 500) {
        const batch = counts.slice(start, start + 500)
        await withTimeout(
          this.redis.eval(
            RAISE_TO_AT_LEAST,
            batch.map((count) => `${this.prefix(windowMs)}:${count.bucket}:${count.windowStart / windowMs}`),
            [String(windowMs * 2 + 1000), ...batch.map((count) => String(count.hits))],
          ),
          UPSTASH_TIMEOUT_MS,
        )
      }
      this.toHandBack.delete(windowMs)
    })().finally(() => (this.handingBack = undefined))
    return this.handingBack
  }

  private mirror(bucket: string, windowStart: number): void {
    const id = `${bucket}\u0001${windowStart}`
    const entry = this.mirrored.get(id)
    if (entry) entry.hits++
    else this.mirrored.set(id, { bucket, windowStart, hits: 1 })
  }

  /** Writes the grants mirrored so far; concurrent callers wait for the same write. */
  private flushMirror(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.mirrored.size === 0) return
      const batch = [...this.mirrored.values()]
      this.mirrored = new Map()
      try {
        await addWindowHits(batch)
      } catch (error) {
        log.warn({ err: error, buckets: batch.length }, 'could not mirror Upstash rate-limit counts to Postgres')
      }
    })
    return this.flushing
  }

  /** For /status: Upstash answers a ping within the timeout, and this process has not had to fall back lately. */
  async health(): Promise<{ ok: true } | { ok: false; message: string }> {
    const startedAt = Date.now()
    try {
      if ((await withTimeout(this.redis.ping(), UPSTASH_TIMEOUT_MS)) !== 'PONG') throw new Error('unexpected ping answer')
    } catch (error) {
      const slow = error instanceof UpstashTimeout
      return {
        ok: false,
        message: slow
          ? `Upstash is slow (no answer within ${UPSTASH_TIMEOUT_MS} ms); limits are enforced by the built-in limiter meanwhile.`
          : 'Upstash is unreachable; limits are enforced by the built-in limiter meanwhile.',
      }
    }
    if (Date.now() - this.lastFallbackAt < DEGRADED_AFTER_FALLBACK_MS) {
      return { ok: false, message: `Upstash failed or was slow in the last minute; limits were enforced by the built-in limiter (ping took ${Date.now() - startedAt} ms).` }
    }
    return { ok: true }
  }

  async ping(): Promise<boolean> {
    return (await this.health()).ok
  }
}
