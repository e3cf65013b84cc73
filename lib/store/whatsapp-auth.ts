import 'server-only'
import { LeaseLostError, leaseHeldRow } from './instances'
import { sqlClient } from './sql'

/**
 * The `whatsapp_auth_keys` table: Baileys' credentials and Signal keys, sealed by the caller
 * (`workers/whatsapp/auth-state.ts`). Every write first checks, in the same statement, that the
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

/**
 * Writes (or, for a null `sealed`, deletes) keys, fenced by the lease: a send's Signal sessions, a
 * batch of pre-keys. One statement: the lease check as a CTE the upsert and the delete depend on (the
 * values travel as hex: postgres.js sends no bytea arrays). A lost lease writes nothing and throws.
 * One statement rather than a transaction saves a send the round trip of its BEGIN.
 */
export async function writeKeys(instanceId: string, workerId: string, entries: SealedKey[]): Promise<void> {
  // The last entry for a key wins, as it did written one by one (an upsert may not touch a row twice).
  const latest = new Map(entries.map((entry) => [`${entry.category}\0${entry.keyId}`, entry]))
  const written = [...latest.values()].filter((entry): entry is SealedKey & { sealed: Buffer } => entry.sealed !== null)
  const deleted = [...latest.values()].filter((entry) => entry.sealed === null)
  const sql = sqlClient()
  const [{ held }] = await sql`
    with lease as (${leaseHeldRow(sql, instanceId, workerId)}),
    upserted as (
      insert into whatsapp_auth_keys (instance_id, category, key_id, value)
      select ${instanceId}, category, key_id, decode(value_hex, 'hex')
      from unnest(${written.map((entry) => entry.category)}::text[], ${written.map((entry) => entry.keyId)}::text[], ${written.map((entry) => entry.sealed.toString('hex'))}::text[])
        as batch (category, key_id, value_hex)
      where exists (select 1 from lease)
      on conflict (instance_id, category, key_id) do update set value = excluded.value, updated_at = now()
      returning 1
    ),
    removed as (
      delete from whatsapp_auth_keys k
      using unnest(${deleted.map((entry) => entry.category)}::text[], ${deleted.map((entry) => entry.keyId)}::text[]) as batch (category, key_id)
      where exists (select 1 from lease) and k.instance_id = ${instanceId} and k.category = batch.category and k.key_id = batch.key_id
      returning 1
    )
    select exists (select 1 from lease) as held`
  if (!held) throw new LeaseLostError(instanceId)
}

/** Logged out: the credentials are worthless and must not be reused; the next connect starts a new QR. */
export async function clearKeys(instanceId: string): Promise<void> {
  await sqlClient()`delete from whatsapp_auth_keys where instance_id = ${instanceId}`
}
