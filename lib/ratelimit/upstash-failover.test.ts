// The Upstash limiter and its Postgres fallback count one window together: across an Upstash outage
// and its recovery a key never gets more than its limit, and a slow Upstash shows as degraded.
// Upstash is the local REST front for Redis (test-support/upstash-rest.ts), made to fail on demand.
import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'
import { redisForTests, startUpstashRestServer } from '@/test-support/upstash-rest'

await useTestDatabase()
const redisUrl = await redisForTests()
const rest = redisUrl ? await startUpstashRestServer(redisUrl) : undefined
afterAll(() => rest?.close())
process.env.UPSTASH_REDIS_REST_URL = rest?.url
process.env.UPSTASH_REDIS_REST_TOKEN = rest?.token

const { PostgresRateLimiter } = await import('./postgres')
const { UpstashRateLimiter } = await import('./upstash')
const { rateLimitStoreCheck } = await import('./index')

// An hour-long window: the whole test sits inside one window, so "within a window" is the whole test.
const WINDOW_MS = 3_600_000
const bucket = () => `test:${randomBytes(6).toString('hex')}`
/** One web process's limiter; several of them share Upstash and Postgres like several web processes. */
const webProcess = () => new UpstashRateLimiter({ url: rest!.url, token: rest!.token }, new PostgresRateLimiter(), { retryUpstashAfterMs: 0 })

async function granted(limiters: InstanceType<typeof UpstashRateLimiter>[], key: string, max: number, calls: number): Promise<number> {
  let count = 0
  for (let call = 0; call < calls; call++) if ((await limiters[call % limiters.length].limit(key, max, WINDOW_MS)).success) count++
  return count
}

describe.runIf(redisUrl)('Upstash outage and recovery within one window', () => {
  it('down, then back: the calls made during the outage still count (the issue: 60 + 60 for a 60/min key)', async () => {
    const limiters = [webProcess(), webProcess()]
    const key = bucket()
    rest!.setDown(true)
    try {
      expect(await granted(limiters, key, 10, 7)).toBe(7)
    } finally {
      rest!.setDown(false)
    }
    expect(await granted(limiters, key, 10, 10)).toBe(3)
  })

  it('up, down, then back: neither the outage nor the recovery grants more than the limit', async () => {
    const limiters = [webProcess(), webProcess()]
    const key = bucket()
    expect(await granted(limiters, key, 10, 4)).toBe(4)
    rest!.setDown(true)
    try {
      expect(await granted(limiters, key, 10, 10)).toBe(6)
    } finally {
      rest!.setDown(false)
    }
    expect(await granted(limiters, key, 10, 10)).toBe(0)
  })

  it('several outages in one window, with concurrent calls: never more than the limit in total', async () => {
    const limiters = [webProcess(), webProcess(), webProcess()]
    const key = bucket()
    let total = 0
    for (const down of [false, true, false, true, false]) {
      rest!.setDown(down)
      const results = await Promise.all(Array.from({ length: 9 }, (_, index) => limiters[index % 3].limit(key, 20, WINDOW_MS)))
      total += results.filter((result) => result.success).length
    }
    rest!.setDown(false)
    expect(total).toBe(20)
  })
})

describe.runIf(redisUrl)('a slow Upstash', () => {
  it('(1.5 s) is reported degraded by /api/v1/status', async () => {
    expect(await rateLimitStoreCheck()).toMatchObject({ status: 'ok', backend: 'upstash' })
    rest!.setDelayMs(1500)
    try {
      expect(await rateLimitStoreCheck()).toEqual({ status: 'degraded', backend: 'upstash', message: expect.stringMatching(/slow/) })
    } finally {
      rest!.setDelayMs(0)
    }
  })

  it('does not hold a limit call for longer than its timeout, and the limit still holds', async () => {
    rest!.setDelayMs(5000)
    try {
      const limiter = webProcess()
      const key = bucket()
      const startedAt = Date.now()
      expect((await limiter.limit(key, 2, WINDOW_MS)).success).toBe(true)
      expect(Date.now() - startedAt).toBeLessThan(3000)
      expect((await limiter.limit(key, 2, WINDOW_MS)).success).toBe(true)
      expect((await limiter.limit(key, 2, WINDOW_MS)).success).toBe(false)
    } finally {
      rest!.setDelayMs(0)
    }
  })
})
