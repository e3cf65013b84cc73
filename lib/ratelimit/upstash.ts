import 'server-only'
import { Ratelimit } from '@upstash/ratelimit'
import { Redis } from '@upstash/redis'
import { log } from '@/lib/log'
import type { LimitResult, RateLimiter } from './types'

const UPSTASH_TIMEOUT_MS = 1000

/**
 * @upstash/ratelimit's sliding window. When Upstash is slow or unreachable the call falls back to
 * the given limiter (the Postgres one) instead of failing open: limits keep holding, just slower.
 */
export class UpstashRateLimiter implements RateLimiter {
  readonly name = 'upstash'
  private readonly redis: Redis
  private readonly limiters = new Map<string, Ratelimit>()

  constructor(
    options: { url: string; token: string },
    private readonly fallback: RateLimiter,
  ) {
    this.redis = new Redis({ url: options.url, token: options.token, retry: false, enableTelemetry: false })
  }

  private limiterFor(max: number, windowMs: number): Ratelimit {
    const id = `${max}/${windowMs}`
    let limiter = this.limiters.get(id)
    if (!limiter) {
      limiter = new Ratelimit({
        redis: this.redis,
        limiter: Ratelimit.slidingWindow(max, `${windowMs} ms`),
        prefix: `sage:rl:${id}`,
        ephemeralCache: false, // an in-process cache would let an edited limit lag behind
        timeout: UPSTASH_TIMEOUT_MS,
        analytics: false,
      })
      this.limiters.set(id, limiter)
    }
    return limiter
  }

  async limit(bucket: string, max: number, windowMs: number): Promise<LimitResult> {
    try {
      const response = await this.limiterFor(max, windowMs).limit(bucket)
      if (response.reason === 'timeout') throw new Error(`Upstash did not answer within ${UPSTASH_TIMEOUT_MS} ms`)
      return { success: response.success, limit: response.limit, remaining: response.remaining, reset: response.reset }
    } catch (error) {
      log.warn({ err: error }, 'upstash rate limit failed; using the built-in limiter')
      return this.fallback.limit(bucket, max, windowMs)
    }
  }

  async peek(bucket: string, max: number, windowMs: number): Promise<LimitResult> {
    try {
      const { remaining, reset } = await this.limiterFor(max, windowMs).getRemaining(bucket)
      return { success: remaining > 0, limit: max, remaining, reset }
    } catch {
      return this.fallback.peek(bucket, max, windowMs)
    }
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG'
    } catch {
      return false
    }
  }
}
