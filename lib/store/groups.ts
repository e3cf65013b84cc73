import 'server-only'
import type { GroupMetadata } from '@whiskeysockets/baileys'
import { sqlClient } from './sql'

/**
 * The `group_metadata` table: per instance and group JID, Baileys' GroupMetadata as WhatsApp last
 * gave it. Written only by the worker holding the instance (on group events and after its own
 * group commands); read by it as Baileys' `cachedGroupMetadata`. Rows go with their instance.
 */
export async function readGroupMetadata(instanceId: string, jid: string): Promise<GroupMetadata | undefined> {
  const [row] = await sqlClient()`select metadata from group_metadata where instance_id = ${instanceId} and jid = ${jid}`
  return row ? (row.metadata as GroupMetadata) : undefined
}

export async function saveGroupMetadata(instanceId: string, groups: GroupMetadata[]): Promise<void> {
  if (groups.length === 0) return
  const sql = sqlClient()
  for (const group of groups) {
    await sql`
      insert into group_metadata (instance_id, jid, metadata) values (${instanceId}, ${group.id}, ${sql.json(group as never)})
      on conflict (instance_id, jid) do update set metadata = excluded.metadata, updated_at = now()`
  }
}

/** Merges changed fields into a cached group; a group not cached stays uncached (the next read asks WhatsApp). */
export async function patchGroupMetadata(instanceId: string, jid: string, patch: Partial<GroupMetadata>): Promise<void> {
  const sql = sqlClient()
  await sql`update group_metadata set metadata = metadata || ${sql.json(patch as never)}, updated_at = now() where instance_id = ${instanceId} and jid = ${jid}`
}

export async function forgetGroupMetadata(instanceId: string, jid: string): Promise<void> {
  await sqlClient()`delete from group_metadata where instance_id = ${instanceId} and jid = ${jid}`
}
