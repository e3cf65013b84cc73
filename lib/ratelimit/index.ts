import 'server-only'
import { config } from '@/lib/config'
import { PostgresRateLimiter } from './postgres'
import { UpstashRateLimiter } from './upstash'
import type { RateLimiter } from './types'

export type { LimitResult, RateLimiter } from './types'

let limiter: RateLimiter | undefined
let upstash: UpstashRateLimiter | undefined

/** Upstash when configured, else the built-in Postgres limiter; chosen once per process. */
export function rateLimiter(): RateLimiter {
  if (limiter) return limiter
  const settings = config()
  const builtIn = new PostgresRateLimiter()
  if (settings.UPSTASH_REDIS_REST_URL && settings.UPSTASH_REDIS_REST_TOKEN) {
    upstash = new UpstashRateLimiter({ url: settings.UPSTASH_REDIS_REST_URL, token: settings.UPSTASH_REDIS_REST_TOKEN }, builtIn)
    limiter = upstash
  } else {
    limiter = builtIn
  }
  return limiter
}

/** For /status: the built-in store is the database (checked there); Upstash is pinged (a slow answer is degraded). */
export async function rateLimitStoreCheck(): Promise<{ status: 'ok' | 'degraded'; backend: string; message?: string }> {
  rateLimiter()
  if (!upstash) return { status: 'ok', backend: 'postgres' }
  const health = await upstash.health()
  return health.ok ? { status: 'ok', backend: 'upstash' } : { status: 'degraded', backend: 'upstash', message: health.message }
}

export const KEY_WINDOW_MS = 60_000

/** Headers every authed data-plane response carries. */
export function rateLimitHeaders(result: { limit: number; remaining: number; reset: number; success: boolean }): Record<string, string> {
  const headers: Record<string, string> = {
    'X-RateLimit-Limit': String(result.limit),
    'X-RateLimit-Remaining': String(result.remaining),
  }
  if (!result.success) headers['Retry-After'] = String(Math.max(1, Math.ceil((result.reset - Date.now()) / 1000)))
  return headers
}
