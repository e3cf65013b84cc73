import 'server-only'
import { recordLastUsed } from '@/lib/store/api-keys'
import { log } from '@/lib/log'

/** "Last used" is shown to the minute; one batched write per interval replaces a write per request. */
const FLUSH_INTERVAL_MS = 10_000
const pending = new Map<string, Date>()
let timer: NodeJS.Timeout | undefined

export function recordKeyUse(keyId: string): void {
  pending.set(keyId, new Date())
  timer ??= setInterval(() => void flushKeyUse(), FLUSH_INTERVAL_MS).unref()
}

export async function flushKeyUse(): Promise<void> {
  if (pending.size === 0) return
  const batch = [...pending.entries()]
  pending.clear()
  try {
    await recordLastUsed(batch.map(([id, at]) => ({ id, at })))
  } catch (error) {
    log.warn({ err: error }, 'could not record key use; will retry')
    for (const [id, at] of batch) if (!pending.has(id)) pending.set(id, at)
  }
}
