// Baileys' per-socket caches (devices, retries, call offers, placeholder resends, Signal keys),
// given by us instead of Baileys' own NodeCaches: those hold a timer each (six to seven per socket,
// and the Signal key cache's is never stopped, so it outlives its socket), and the key cache keeps
// all 812 pre-keys of a pairing for five minutes or more. Here one timer sweeps every live cache,
// a cache is dropped with its socket (nothing else refers to it), and each is bounded.
import type { PossiblyExtendedCacheStore } from '@whiskeysockets/baileys'

const SWEEP_MS = 15_000
const live = new Set<WeakRef<ExpiringCache>>()
let sweeper: NodeJS.Timeout | undefined

function sweepAll(): void {
  const now = Date.now()
  for (const ref of live) {
    const cache = ref.deref()
    if (cache) cache.sweep(now)
    else live.delete(ref)
  }
  if (live.size === 0) {
    clearInterval(sweeper)
    sweeper = undefined
  }
}

type Entry = { value: unknown; expiresAt: number }

/** A Map with a time to live per entry and at most `maxEntries` (the oldest written goes first). */
export class ExpiringCache implements PossiblyExtendedCacheStore {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly ttlMsOf: (key: string) => number,
    private readonly maxEntries: number,
  ) {
    live.add(new WeakRef(this))
    sweeper ??= setInterval(sweepAll, SWEEP_MS).unref()
  }

  get size(): number {
    return this.entries.size
  }

  get<T>(key: string): T | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key)
      return undefined
    }
    return entry.value as T
  }

  /** `ttlSeconds` as NodeCache's: a per-entry override of the cache's own. A time to live of 0 keeps nothing. */
  set<T>(key: string, value: T, ttlSeconds?: number): boolean {
    this.entries.delete(key)
    const ttlMs = ttlSeconds ? ttlSeconds * 1000 : this.ttlMsOf(key)
    if (ttlMs <= 0) return true
    this.entries.set(key, { value, expiresAt: Date.now() + ttlMs })
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!)
    return true
  }

  del(key: string): boolean {
    return this.entries.delete(key)
  }

  flushAll(): void {
    this.entries.clear()
  }

  async mget<T>(keys: string[]): Promise<Record<string, T | undefined>> {
    return Object.fromEntries(keys.map((key) => [key, this.get<T>(key)]))
  }

  mset<T>(entries: { key: string; value: T }[]): boolean {
    for (const { key, value } of entries) this.set(key, value)
    return true
  }

  mdel(keys: string[]): boolean {
    for (const key of keys) this.entries.delete(key)
    return true
  }

  sweep(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key)
  }
}

const minutes = (count: number) => count * 60_000

/**
 * The caches one socket is given (Baileys' default times to live). Pre-keys are not kept: they are
 * written at pairing (812) or a few when WhatsApp runs low, read back inside the same Baileys
 * transaction (which has its own copy), and later read at most once each, by a contact's first
 * message. Every other key stays five minutes.
 */
export function socketCaches() {
  return {
    signalKeys: new ExpiringCache((key) => (key.startsWith('pre-key.') ? 0 : minutes(5)), 2_000),
    userDevicesCache: new ExpiringCache(() => minutes(5), 1_000),
    msgRetryCounterCache: new ExpiringCache(() => minutes(60), 1_000),
    callOfferCache: new ExpiringCache(() => minutes(5), 100),
    placeholderResendCache: new ExpiringCache(() => minutes(60), 1_000),
  }
}
