import 'server-only'
import type { InstanceIdentity } from '@/lib/events/types'
import { dateOrNull, sqlClient, type Executor } from './sql'

/**
 * The `chats` table: an instance's chats as WhatsApp's phone described them in its history sync
 * (name, unread count, archived, pinned, muted), one row per instance and JID, `jid` named like
 * `messages.remote_jid`. A later description replaces the stored one; the newest message time only
 * moves forward.
 */
export type Chat = {
  jid: string
  jidAlt: string | null
  name: string | null
  unreadCount: number
  archived: boolean
  pinned: boolean
  mutedUntil: Date | null
  lastMessageTimestamp: number | null
}

function toChat(row: Record<string, unknown>): Chat {
  return {
    jid: row.jid as string,
    jidAlt: (row.jid_alt as string | null) ?? null,
    name: (row.name as string | null) ?? null,
    unreadCount: Number(row.unread_count),
    archived: Boolean(row.archived),
    pinned: Boolean(row.pinned),
    mutedUntil: dateOrNull(row.muted_until),
    lastMessageTimestamp: row.last_message_timestamp === null ? null : Number(row.last_message_timestamp),
  }
}

const RETURNING = 'jid, jid_alt, name, unread_count, archived, pinned, muted_until, last_message_timestamp'

/** Inserts or updates chats; returns those that are new or changed (nothing for a batch seen before). */
export async function upsertChats(tx: Executor, instance: InstanceIdentity, chats: Chat[]): Promise<Chat[]> {
  // One statement may touch a row once: a chat listed twice in a batch keeps its last description.
  const unique = [...new Map(chats.map((chat) => [chat.jid, chat])).values()]
  if (!unique.length) return []
  const rows = unique.map((c) => ({
    instance_id: instance.id,
    user_id: instance.userId,
    jid: c.jid,
    jid_alt: c.jidAlt,
    name: c.name,
    unread_count: c.unreadCount,
    archived: c.archived,
    pinned: c.pinned,
    muted_until: c.mutedUntil,
    last_message_timestamp: c.lastMessageTimestamp,
  }))
  const changed = []
  // At most 65,535 parameters per statement: a large history set is written in slices.
  for (let start = 0; start < rows.length; start += 1000) {
    changed.push(...(await tx`
        insert into chats ${tx(rows.slice(start, start + 1000))}
        on conflict (instance_id, jid) do update set
          jid_alt = coalesce(excluded.jid_alt, chats.jid_alt),
          name = coalesce(excluded.name, chats.name),
          unread_count = excluded.unread_count,
          archived = excluded.archived,
          pinned = excluded.pinned,
          muted_until = excluded.muted_until,
          last_message_timestamp = greatest(excluded.last_message_timestamp, chats.last_message_timestamp),
          updated_at = now()
        where (chats.jid_alt, chats.name, chats.unread_count, chats.archived, chats.pinned, chats.muted_until, chats.last_message_timestamp)
          is distinct from (coalesce(excluded.jid_alt, chats.jid_alt), coalesce(excluded.name, chats.name), excluded.unread_count, excluded.archived,
                            excluded.pinned, excluded.muted_until, greatest(excluded.last_message_timestamp, chats.last_message_timestamp))
        returning ${tx.unsafe(RETURNING)}`))
  }
  return changed.map(toChat)
}

/** An instance's chats, newest first. */
export async function listChats(instanceId: string): Promise<Chat[]> {
  const rows = await sqlClient()`
    select ${sqlClient().unsafe(RETURNING)} from chats where instance_id = ${instanceId}
    order by last_message_timestamp desc nulls last, jid`
  return rows.map(toChat)
}

/** The account's chats for its export, a page at a time. */
export async function* chatsForExport(userId: string): AsyncGenerator<Record<string, unknown>[]> {
  yield* sqlClient()`
    select instances.name as instance, chats.jid, chats.jid_alt, chats.name, chats.unread_count, chats.archived, chats.pinned,
      chats.muted_until, chats.last_message_timestamp, chats.created_at, chats.updated_at
    from chats join instances on instances.id = chats.instance_id
    where chats.user_id = ${userId} and instances.user_id = ${userId}
    order by instances.name, chats.jid`.cursor(500)
}
