import 'server-only'
import { rateLimiter } from '@/lib/ratelimit'

/** Failed key checks allowed per source address per minute before it is refused outright. */
export const AUTH_FAILURES_PER_MINUTE = 30
const WINDOW_MS = 60_000

/**
 * Once an address is over its failure budget (counted in the shared limiter), this process refuses
 * it from memory until the window rolls: a key-guessing flood then costs no database work at all.
 */
const blockedUntil = new Map<string, number>()

export function authBlockedUntil(ip: string | undefined): number | undefined {
  const until = blockedUntil.get(ip ?? 'unknown')
  if (until === undefined) return undefined
  if (until <= Date.now()) {
    blockedUntil.delete(ip ?? 'unknown')
    return undefined
  }
  return until
}

/** Counts a failed attempt; returns the time until which the address is refused, if it now is. */
export async function recordAuthFailure(ip: string | undefined): Promise<number | undefined> {
  const address = ip ?? 'unknown'
  const result = await rateLimiter().limit(`auth-failures:${address}`, AUTH_FAILURES_PER_MINUTE, WINDOW_MS)
  if (result.success) return undefined
  if (blockedUntil.size > 50_000) blockedUntil.clear()
  blockedUntil.set(address, result.reset)
  return result.reset
}
