import 'server-only'
import { findActiveByHash, type ActiveKey } from '@/lib/store/api-keys'
import { hashKey, looksLikeKey } from './format'
import { recordKeyUse } from './last-used'

export type VerifiedKey = ActiveKey

/**
 * Edits and revocations must reach every web process within a second, so a looked-up key is
 * trusted for at most this long; within it, the hot path needs no query for the key itself.
 */
const CACHE_TTL_MS = 900
const CACHE_MAX_ENTRIES = 10_000
const cache = new Map<string, { key: VerifiedKey | null; expiresAt: number }>()

/** Returns the active key for this plaintext, or null for a malformed, unknown or revoked one. */
export async function verifyKey(plaintext: string): Promise<VerifiedKey | null> {
  if (!looksLikeKey(plaintext)) return null
  const hash = hashKey(plaintext)
  const now = Date.now()
  const cached = cache.get(hash)
  let key: VerifiedKey | null
  if (cached && cached.expiresAt > now) {
    key = cached.key
  } else {
    key = await lookup(hash)
    if (cache.size >= CACHE_MAX_ENTRIES) cache.clear()
    cache.set(hash, { key, expiresAt: now + CACHE_TTL_MS })
  }
  if (key) recordKeyUse(key.id)
  return key
}

async function lookup(hash: string): Promise<VerifiedKey | null> {
  return (await findActiveByHash(hash)) ?? null
}
