// The pruning job's work (the worker runs it: workers/events/retention.ts): every account's data past
// its retention, deleted in small batches so no statement holds many row locks or runs long beside sends.
import 'server-only'
import { setTimeout as sleep } from 'node:timers/promises'
import { pruneIdempotencyKeysBatch } from '@/lib/api/idempotency'
import { pruneRateLimitWindowsBatch } from '@/lib/ratelimit/postgres'
import { pruneEmailTokensBatch } from '@/lib/store/accounts'
import { pruneAccountEventsBatch } from '@/lib/store/events'
import { forgetMediaObjects } from '@/lib/media/files'
import { pruneMediaBatch, pruneMessagesBatch, type PrunedBatch } from '@/lib/store/messages'
import { accountsToPrune } from '@/lib/store/retention'
import { pruneExpiredExportsBatch } from '@/lib/store/account-exports'
import { pruneAccountDeliveriesBatch } from '@/lib/store/webhook-deliveries'
import { EMAIL_TOKEN_RETENTION_DAYS } from './policy'

export type PruneOptions = {
  /** Rows per statement. */
  batch?: number
  /** Rest between batches, giving sends the database (0 in tests). */
  pauseMs?: number
  /** Checked between batches: a stopping worker ends the run early; the next run picks up where it left off. */
  shouldStop?: () => boolean
}

export type PruneCounts = { messages: number; media: number; events: number; webhookDeliveries: number; idempotencyKeys: number; emailTokens: number; rateLimitWindows: number; exports: number }

/** Runs `deleteBatch` until a batch comes back short; the rows deleted. */
export async function deleteInBatches(deleteBatch: () => Promise<number>, batch: number, options: Pick<PruneOptions, 'pauseMs' | 'shouldStop'> = {}): Promise<number> {
  let total = 0
  for (;;) {
    if (options.shouldStop?.()) return total
    const deleted = await deleteBatch()
    total += deleted
    if (deleted < batch) return total
    if (options.pauseMs) await sleep(options.pauseMs)
  }
}

/** A batch of messages or media deleted, then their bucket objects (when media are in object storage); the rows deleted. */
export async function withObjectsForgotten(pruned: Promise<PrunedBatch>): Promise<number> {
  const { deleted, objects } = await pruned
  await forgetMediaObjects(objects)
  return deleted
}

/** Deletes everything past its retention; safe to run on several workers at once (each batch skips rows another holds). */
export async function pruneExpired(options: PruneOptions = {}): Promise<PruneCounts> {
  const batch = options.batch ?? 1000
  const pauseMs = options.pauseMs ?? 50
  const counts: PruneCounts = { messages: 0, media: 0, events: 0, webhookDeliveries: 0, idempotencyKeys: 0, emailTokens: 0, rateLimitWindows: 0, exports: 0 }
  const drain = async (kind: keyof PruneCounts, deleteBatch: () => Promise<number>) => {
    counts[kind] += await deleteInBatches(deleteBatch, batch, { pauseMs, shouldStop: options.shouldStop })
  }
  for (const account of await accountsToPrune()) {
    const { retention } = account
    for (const instanceId of account.instanceIds) {
      await drain('messages', () => withObjectsForgotten(pruneMessagesBatch(instanceId, retention.messagesDays, batch)))
      await drain('media', () => withObjectsForgotten(pruneMediaBatch(instanceId, retention.mediaDays, batch)))
    }
    await drain('events', () => pruneAccountEventsBatch(account.userId, retention.eventsDays, batch))
    await drain('webhookDeliveries', () => pruneAccountDeliveriesBatch(account.userId, retention.webhookDeliveriesDays, batch))
  }
  await drain('idempotencyKeys', () => pruneIdempotencyKeysBatch(batch))
  await drain('emailTokens', () => pruneEmailTokensBatch(EMAIL_TOKEN_RETENTION_DAYS, batch))
  await drain('rateLimitWindows', () => pruneRateLimitWindowsBatch(batch))
  await drain('exports', () => pruneExpiredExportsBatch(Math.max(1, Math.floor(batch / 100))))
  return counts
}
