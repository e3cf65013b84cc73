import 'server-only'
import { assertLeaseHeld } from './instances'
import { sqlClient } from './sql'

/**
 * The `whatsapp_auth_keys` table: Baileys' credentials and Signal keys, sealed by the caller
 * (`workers/whatsapp/auth-state.ts`). Every write first checks, in the same transaction, that the
 * worker still holds the instance: one that lost its lease can never overwrite the new owner's keys.
 */
/** What each sealed value is bound to (its AES-GCM associated data): a value moved to another row does not open. */
export function authKeyContext(instanceId: string, category: string, keyId: string): string {
  return `${instanceId}:${category}:${keyId}`
}

export type SealedKey = { category: string; keyId: string; sealed: Buffer | null }

export async function readKeys(instanceId: string, category: string, keyIds: string[]): Promise<{ keyId: string; sealed: Buffer }[]> {
  const rows = await sqlClient()`
    select key_id, value from whatsapp_auth_keys where instance_id = ${instanceId} and category = ${category} and key_id = any(${keyIds})`
  return rows.map((row) => ({ keyId: row.key_id, sealed: row.value }))
}

/** Rows per statement: a pairing writes 812 pre-keys, which must not be 812 round trips. */
const WRITE_BATCH = 500

/** Writes (or, for a null `sealed`, deletes) keys, fenced by the lease: one statement per 500 keys. */
export async function writeKeys(instanceId: string, workerId: string, entries: SealedKey[]): Promise<void> {
  // The last write of a key wins, as it did one statement at a time (an upsert may not touch a row twice).
  const latest = new Map(entries.map((entry) => [`${entry.category}\u0000${entry.keyId}`, entry]))
  const upserts = [...latest.values()].filter((entry) => entry.sealed !== null)
  const deletes = [...latest.values()].filter((entry) => entry.sealed === null)
  await sqlClient().begin(async (tx) => {
    await assertLeaseHeld(tx, instanceId, workerId)
    for (let start = 0; start < deletes.length; start += WRITE_BATCH) {
      const batch = deletes.slice(start, start + WRITE_BATCH)
      await tx`
        delete from whatsapp_auth_keys where instance_id = ${instanceId}
          and (category, key_id) in (select * from unnest(${batch.map((entry) => entry.category)}::text[], ${batch.map((entry) => entry.keyId)}::text[]))`
    }
    for (let start = 0; start < upserts.length; start += WRITE_BATCH) {
      const rows = upserts.slice(start, start + WRITE_BATCH).map(({ category, keyId, sealed }) => ({ instance_id: instanceId, category, key_id: keyId, value: sealed }))
      await tx`
        insert into whatsapp_auth_keys ${tx(rows, 'instance_id', 'category', 'key_id', 'value')}
        on conflict (instance_id, category, key_id) do update set value = excluded.value, updated_at = now()`
    }
  })
}

/** Logged out: the credentials are worthless and must not be reused; the next connect starts a new QR. */
export async function clearKeys(instanceId: string): Promise<void> {
  await sqlClient()`delete from whatsapp_auth_keys where instance_id = ${instanceId}`
}
