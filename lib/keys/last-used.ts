import 'server-only'
import { sqlClient } from '@/lib/db'
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
    const ids = batch.map(([id]) => id)
    // Sent as text[]: drizzle's client setup leaves timestamptz[] (oid 1185) with a pass-through
    // serializer on this pool too, so a JS array bound as timestamptz[] fails in postgres.js.
    const times = batch.map(([, at]) => at.toISOString())
    await sqlClient()`
      update api_keys set last_used_at = greatest(coalesce(api_keys.last_used_at, 'epoch'), used.at)
      from (select unnest(${ids}::uuid[]) as id, unnest(${times}::text[])::timestamptz as at) as used
      where api_keys.id = used.id`
  } catch (error) {
    log.warn({ err: error }, 'could not record key use; will retry')
    for (const [id, at] of batch) if (!pending.has(id)) pending.set(id, at)
  }
}
