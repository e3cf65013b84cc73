// Retention: every account's messages, media, events and webhook deliveries past its retention
// (lib/retention/policy.ts), plus spent idempotency keys and email links, pruned in small batches.
import type { Logger } from '@/lib/log'
import { pruneExpired } from '@/lib/retention/prune'

const PRUNE_EVERY_MS = 60 * 60_000

/**
 * Prunes once at start and then hourly. Every worker does it: batches skip rows another worker's batch
 * holds, so workers pruning together split the work, and a run that finds nothing costs a few indexed queries.
 */
export function startRetentionPruning(log: Logger): { stop: () => void } {
  let stopped = false
  let running = false
  const prune = async () => {
    if (running) return
    running = true
    try {
      const counts = await pruneExpired({ shouldStop: () => stopped })
      if (Object.values(counts).some((count) => count > 0)) log.info({ pruned: counts }, 'data past its retention pruned')
    } catch (error) {
      log.warn({ err: error }, 'retention pruning failed; will retry')
    } finally {
      running = false
    }
  }
  void prune()
  const timer = setInterval(prune, PRUNE_EVERY_MS)
  timer.unref()
  log.info('retention pruning started')
  return {
    stop: () => {
      stopped = true
      clearInterval(timer)
      log.info('retention pruning stopped')
    },
  }
}
