import 'server-only'
import { activeHashesCreatedSince } from '@/lib/store/api-keys'

/**
 * The hashes of every key that exists, kept in this process, so that an address refused for too many
 * failed key checks can still use a real key while its unknown guesses cost no database work at all.
 * Loaded the first time an address is refused, then topped up with newly minted keys at most every
 * REFRESH_MS (a key minted a moment ago works from a refused address after that long). Revoked keys
 * are not removed here: they still go through the normal check, which refuses them.
 */
const REFRESH_MS = 2000
// A key's created_at is its transaction's start: one committed a little after a refresh may carry an
// earlier time, so every refresh looks this far back again (the set ignores repeats).
const OVERLAP_MS = 60_000

const known = new Set<string>()
let newest: Date | null = null
let refreshedAt = 0
let refreshing: Promise<void> | undefined

async function refresh(): Promise<void> {
  const since = newest ? new Date(newest.getTime() - OVERLAP_MS) : null
  const result = await activeHashesCreatedSince(since)
  for (const hash of result.hashes) known.add(hash)
  if (result.newest && (!newest || result.newest > newest)) newest = result.newest
  refreshedAt = Date.now()
}

export async function isKnownKeyHash(hash: string): Promise<boolean> {
  if (known.has(hash)) return true
  if (Date.now() - refreshedAt >= REFRESH_MS) {
    refreshing ??= refresh().finally(() => (refreshing = undefined))
    await refreshing
  }
  return known.has(hash)
}
