// Exponential backoff with jitter, for whatever must wait for something to come back (the database, a child process).

export type BackoffOptions = {
  /** First delay (default 250 ms); each failure doubles it up to maxMs. */
  minMs?: number
  /** Longest delay (default 10 s). */
  maxMs?: number
}

/** The delay before attempt `attempt` (0-based) with ±20 % jitter, so many waiters do not retry in step. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const minMs = options.minMs ?? 250
  const maxMs = options.maxMs ?? 10_000
  const base = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30))
  return Math.round(base * (0.8 + Math.random() * 0.4))
}

/**
 * Calls `attempt` until it resolves, waiting longer after each failure. Resolves undefined if
 * `shouldStop` says so first (a shutdown while the database is still away).
 */
export async function retryWithBackoff<T>(
  attempt: () => Promise<T>,
  options: BackoffOptions & { shouldStop?: () => boolean; onRetry?: (error: unknown, delayMs: number) => void } = {},
): Promise<T | undefined> {
  for (let failures = 0; ; failures++) {
    if (options.shouldStop?.()) return undefined
    try {
      return await attempt()
    } catch (error) {
      if (options.shouldStop?.()) return undefined
      const delayMs = backoffDelay(failures, options)
      options.onRetry?.(error, delayMs)
      await new Promise((resolve) => setTimeout(resolve, delayMs))
    }
  }
}
