import { afterEach, describe, expect, it, vi } from 'vitest'
import { ExpiringCache, socketCaches } from './socket-caches'

describe('the caches a socket is given', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('forgets an entry when its time to live has passed, and a per-entry time overrides the cache’s', () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') })
    const cache = new ExpiringCache(() => 60_000, 10)
    cache.set('a', 1)
    cache.set('b', 2, 1)
    vi.advanceTimersByTime(1_001)
    expect(cache.get('a')).toBe(1)
    expect(cache.get('b')).toBeUndefined()
    vi.advanceTimersByTime(59_000)
    expect(cache.get('a')).toBeUndefined()
  })

  it('sweeps expired entries, and keeps at most its bound (the oldest written goes first)', () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') })
    const cache = new ExpiringCache(() => 1_000, 3)
    for (const key of ['a', 'b', 'c', 'd']) cache.set(key, key)
    expect(cache.size).toBe(3)
    expect(cache.get('a')).toBeUndefined()
    expect(cache.get('d')).toBe('d')
    cache.sweep(Date.now() + 1_001)
    expect(cache.size).toBe(0)
  })

  it('answers Baileys’ batch calls', async () => {
    const cache = new ExpiringCache(() => 60_000, 10)
    cache.mset([{ key: 'x', value: 1 }, { key: 'y', value: 2 }])
    expect(await cache.mget(['x', 'y', 'z'])).toEqual({ x: 1, y: 2, z: undefined })
    cache.mdel(['x'])
    expect(cache.get('x')).toBeUndefined()
    cache.flushAll()
    expect(cache.size).toBe(0)
  })

  it('never keeps pre-keys in the Signal key cache, and keeps other keys', () => {
    const { signalKeys } = socketCaches()
    signalKeys.set('pre-key.1', { public: Buffer.alloc(32), private: Buffer.alloc(32) })
    signalKeys.set('session.123@s.whatsapp.net', Buffer.alloc(10))
    expect(signalKeys.get('pre-key.1')).toBeUndefined()
    expect(signalKeys.get('session.123@s.whatsapp.net')).toBeDefined()
  })
})
