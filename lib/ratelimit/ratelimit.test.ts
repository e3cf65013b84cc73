import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'
import { redisForTests, startUpstashRestServer } from '@/test-support/upstash-rest'
import { PostgresRateLimiter } from './postgres'
import { UpstashRateLimiter } from './upstash'

const database = await useTestDatabase()
const bucket = () => `test:${randomBytes(6).toString('hex')}`

describe('built-in Postgres limiter', () => {
  const limiter = new PostgresRateLimiter()

  it('lets exactly the cap through under concurrency, and counts down remaining', async () => {
    const key = bucket()
    const results = await Promise.all(Array.from({ length: 40 }, () => limiter.limit(key, 15, 60_000)))
    expect(results.filter((result) => result.success)).toHaveLength(15)
    expect(results.filter((result) => !result.success).every((result) => result.remaining === 0)).toBe(true)
    const remaining = results.filter((result) => result.success).map((result) => result.remaining).sort((a, b) => a - b)
    expect(remaining).toEqual(Array.from({ length: 15 }, (_, index) => index))
    const denied = results.find((result) => !result.success)!
    expect(denied.reset).toBeGreaterThan(Date.now())
    expect(denied.reset).toBeLessThanOrEqual(Date.now() + 60_000)
  })

  it('is exact across separate connections (as several web processes would be)', async () => {
    const key = bucket()
    const otherProcess = postgres(database.url, { max: 5, onnotice: () => {} })
    afterAll(() => otherProcess.end())
    const windowStart = Date.now() - (Date.now() % 60_000)
    // Another process already took 7 of 10 in this window.
    await otherProcess`insert into rate_limit_windows (bucket, window_start, hits) values (${key}, ${windowStart}, 7)`
    const results = await Promise.all(Array.from({ length: 10 }, () => limiter.limit(key, 10, 60_000)))
    expect(results.filter((result) => result.success)).toHaveLength(3)
  })

  it('groups calls that queue behind a statement, and stays exact across processes: each grant its own count, the cap never passed', async () => {
    const key = bucket()
    // Two web processes' limiters, each with a burst of concurrent calls (each queue goes as groups).
    const processes = [new PostgresRateLimiter(), new PostgresRateLimiter()]
    const results = await Promise.all(Array.from({ length: 100 }, (_, index) => processes[index % 2].limit(key, 60, 60_000)))
    const granted = results.filter((result) => result.success)
    expect(granted).toHaveLength(60)
    // As if every call had had its own statement: the remaining counts are 59 … 0, each once.
    expect(granted.map((result) => result.remaining).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, index) => index))
    expect(results.filter((result) => !result.success).every((result) => result.remaining === 0)).toBe(true)
    const counts = postgres(database.url, { max: 1, onnotice: () => {} })
    afterAll(() => counts.end())
    const [row] = await counts`select hits from rate_limit_windows where bucket = ${key}`
    expect(row.hits).toBe(60)
    // A burst that arrives when the window is full is refused whole, with when to retry, and takes nothing.
    const late = await Promise.all(Array.from({ length: 10 }, () => processes[0].limit(key, 60, 60_000)))
    expect(late.every((result) => !result.success && result.remaining === 0 && result.reset > Date.now())).toBe(true)
    const [after] = await counts`select hits from rate_limit_windows where bucket = ${key}`
    expect(after.hits).toBe(60)
  })

  it('weighs the previous window like a sliding window', async () => {
    const key = bucket()
    const windowMs = 60_000
    const windowStart = Date.now() - (Date.now() % windowMs)
    const elapsed = (Date.now() - windowStart) / windowMs
    await postgres(database.url, { max: 1 })`insert into rate_limit_windows (bucket, window_start, hits) values (${key}, ${windowStart - windowMs}, 100)`
    const expectedCarried = Math.floor(100 * (1 - elapsed))
    const result = await limiter.peek(key, 200, windowMs)
    // The carried-over share shrinks as the window advances; allow for the milliseconds between.
    expect(200 - result.remaining).toBeGreaterThanOrEqual(expectedCarried - 1)
    expect(200 - result.remaining).toBeLessThanOrEqual(expectedCarried)
  })
})

const redisUrl = await redisForTests()

describe.runIf(redisUrl)('Upstash limiter (real @upstash/ratelimit against a local REST front for Redis)', async () => {
  it('enforces the cap and reports the same headers as the built-in one', async () => {
    const rest = await startUpstashRestServer(redisUrl!)
    afterAll(() => rest.close())
    const limiter = new UpstashRateLimiter({ url: rest.url, token: rest.token }, new PostgresRateLimiter())
    expect(await limiter.ping()).toBe(true)
    const key = bucket()
    const results = []
    for (let i = 0; i < 7; i++) results.push(await limiter.limit(key, 5, 60_000))
    expect(results.map((result) => result.success)).toEqual([true, true, true, true, true, false, false])
    expect(results[0]).toMatchObject({ limit: 5, remaining: 4 })
    expect(results[5].remaining).toBe(0)
  })

  it('falls back to the built-in limiter when Upstash is unreachable, so limits still hold', async () => {
    const limiter = new UpstashRateLimiter({ url: 'http://127.0.0.1:9', token: 'x' }, new PostgresRateLimiter())
    expect(await limiter.ping()).toBe(false)
    const key = bucket()
    const results = []
    for (let i = 0; i < 4; i++) results.push(await limiter.limit(key, 3, 60_000))
    expect(results.map((result) => result.success)).toEqual([true, true, true, false])
  })
})
