import 'server-only'
import type { InstanceIdentity } from '@/lib/events/types'
import { containsPattern, dateOrNull, sqlClient, type Executor } from './sql'

/**
 * The `chats` table: an instance's chats, one row per instance and JID, `jid` named like
 * `messages.remote_jid`. The phone's history sync describes them (name, unread count, archived,
 * pinned, muted, marked unread): a later description replaces the stored one, until something live
 * changed the chat (`live_changed_at`): a chunk is the phone's picture from before, and must not
 * undo newer state. Live messages keep them current in the message's own transaction
 * (`recordChatMessage`): the newest message time only moves forward, an incoming message adds one
 * unread, read receipts we send reset it (`markChatsRead`). App-state patches (archive, pin, mute,
 * mark unread, delete; ours or another device's) set the settings (`applyChatSettings`, `deleteChat`).
 */
export type Chat = {
  jid: string
  jidAlt: string | null
  name: string | null
  unreadCount: number
  archived: boolean
  pinned: boolean
  mutedUntil: Date | null
  markedUnread: boolean
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
    markedUnread: Boolean(row.marked_unread),
    lastMessageTimestamp: row.last_message_timestamp === null ? null : Number(row.last_message_timestamp),
  }
}

const RETURNING = 'jid, jid_alt, name, unread_count, archived, pinned, muted_until, marked_unread, last_message_timestamp'

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
    marked_unread: c.markedUnread,
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
          unread_count = case when chats.live_changed_at is null then excluded.unread_count else chats.unread_count end,
          archived = case when chats.live_changed_at is null then excluded.archived else chats.archived end,
          pinned = case when chats.live_changed_at is null then excluded.pinned else chats.pinned end,
          muted_until = case when chats.live_changed_at is null then excluded.muted_until else chats.muted_until end,
          marked_unread = case when chats.live_changed_at is null then excluded.marked_unread else chats.marked_unread end,
          last_message_timestamp = greatest(excluded.last_message_timestamp, chats.last_message_timestamp),
          updated_at = now()
        where chats.live_changed_at is null and (chats.jid_alt, chats.name, chats.unread_count, chats.archived, chats.pinned, chats.muted_until, chats.marked_unread, chats.last_message_timestamp)
          is distinct from (coalesce(excluded.jid_alt, chats.jid_alt), coalesce(excluded.name, chats.name), excluded.unread_count, excluded.archived,
                            excluded.pinned, excluded.muted_until, excluded.marked_unread, greatest(excluded.last_message_timestamp, chats.last_message_timestamp))
          or chats.live_changed_at is not null and (chats.jid_alt, chats.name, chats.last_message_timestamp)
          is distinct from (coalesce(excluded.jid_alt, chats.jid_alt), coalesce(excluded.name, chats.name), greatest(excluded.last_message_timestamp, chats.last_message_timestamp))
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
      chats.muted_until, chats.marked_unread, chats.last_message_timestamp, chats.created_at, chats.updated_at
    from chats join instances on instances.id = chats.instance_id
    where chats.user_id = ${userId} and instances.user_id = ${userId}
    order by instances.name, chats.jid`.cursor(500)
}

/** A chat as a message names it: by either of its identities, as `remote_jid` / `remote_jid_alt`. */
export type ChatMessage = { remoteJid: string; remoteJidAlt?: string | null; fromMe: boolean; messageTimestamp: number }

/** Status broadcasts and channels are not chats of the inbox (the history sync leaves them out too). */
const isChat = (jid: string) => !jid.endsWith('@broadcast') && !jid.endsWith('@newsletter')

/**
 * A live message in a chat, inside the transaction that stores it: the chat appears (or is found by
 * either identity, so a chat first known by its LID is not doubled when its number becomes known),
 * its newest message time moves forward, and an incoming message adds one unread.
 */
export async function recordChatMessage(tx: Executor, instance: InstanceIdentity, message: ChatMessage): Promise<void> {
  await chatMessageStatement(tx, instance, message)
}

/** recordChatMessage's statement, unsent (null: not a chat), for a caller that pipelines it (markSent). */
export function chatMessageStatement(tx: Executor, instance: InstanceIdentity, message: ChatMessage) {
  if (!isChat(message.remoteJid)) return null
  const ids = [message.remoteJid, message.remoteJidAlt].filter((jid): jid is string => !!jid)
  const unread = message.fromMe ? 0 : 1
  return tx`
    with found as (
      update chats set
        jid_alt = coalesce(chats.jid_alt, ${message.remoteJidAlt ?? null}),
        unread_count = chats.unread_count + ${unread},
        last_message_timestamp = greatest(chats.last_message_timestamp, ${message.messageTimestamp}),
        live_changed_at = now(),
        updated_at = now()
      where instance_id = ${instance.id} and (jid = any(${ids}) or jid_alt = any(${ids}))
      returning 1)
    insert into chats (instance_id, user_id, jid, jid_alt, unread_count, last_message_timestamp, live_changed_at)
    select ${instance.id}, ${instance.userId}, ${message.remoteJid}, ${message.remoteJidAlt ?? null}, ${unread}, ${message.messageTimestamp}, now()
    where not exists (select 1 from found)
    on conflict (instance_id, jid) do update set
      unread_count = chats.unread_count + excluded.unread_count,
      last_message_timestamp = greatest(chats.last_message_timestamp, excluded.last_message_timestamp),
      live_changed_at = now(),
      updated_at = now()`
}

/** Those of these chats (named by either identity) that are marked unread. */
export async function markedUnreadAmong(instanceId: string, jids: string[]): Promise<Chat[]> {
  if (!jids.length) return []
  const sql = sqlClient()
  const rows = await sql`
    select ${sql.unsafe(RETURNING)} from chats
    where instance_id = ${instanceId} and (jid = any(${jids}) or jid_alt = any(${jids})) and marked_unread`
  return rows.map(toChat)
}

/**
 * The instance sent read receipts for messages of these chats (by either identity): no unread message
 * is left in them. A chat's unread mark is WhatsApp's app-state and clears through applyChatSettings.
 */
export async function markChatsRead(instanceId: string, jids: string[]): Promise<void> {
  if (!jids.length) return
  await sqlClient()`
    update chats set unread_count = 0, live_changed_at = now(), updated_at = now()
    where instance_id = ${instanceId} and (jid = any(${jids}) or jid_alt = any(${jids})) and unread_count <> 0`
}

/** A chat's settings as an app-state patch sets them; absent fields stay as they are. */
export type ChatSettings = { archived?: boolean; pinned?: boolean; mutedUntil?: Date | null; markedUnread?: boolean }

/**
 * WhatsApp synced a change to a chat's settings (this instance's own patch or another device's),
 * inside the transaction that announces it: the chat (by either identity; created when the instance
 * did not know it) with the change applied, or undefined when nothing changed. Marking a chat read
 * also clears its unread count, as the phone does.
 */
export async function applyChatSettings(tx: Executor, instance: InstanceIdentity, jid: string, settings: ChatSettings): Promise<Chat | undefined> {
  const given = (value: unknown) => value !== undefined
  const archived = settings.archived ?? null
  const pinned = settings.pinned ?? null
  const markedUnread = settings.markedUnread ?? null
  const mutedUntil = settings.mutedUntil ?? null
  await tx`
    insert into chats (instance_id, user_id, jid)
    select ${instance.id}, ${instance.userId}, ${jid}
    where not exists (select 1 from chats where instance_id = ${instance.id} and (jid = ${jid} or jid_alt = ${jid}))
    on conflict (instance_id, jid) do nothing`
  const [row] = await tx`
    update chats set
      archived = coalesce(${archived}::boolean, chats.archived),
      pinned = coalesce(${pinned}::boolean, chats.pinned),
      muted_until = case when ${given(settings.mutedUntil)}::boolean then ${mutedUntil}::timestamptz else chats.muted_until end,
      marked_unread = coalesce(${markedUnread}::boolean, chats.marked_unread),
      unread_count = case when ${markedUnread}::boolean = false then 0 else chats.unread_count end,
      live_changed_at = now(),
      updated_at = now()
    from (select id, archived, pinned, muted_until, marked_unread, unread_count from chats
          where instance_id = ${instance.id} and (jid = ${jid} or jid_alt = ${jid}) order by (jid = ${jid}) desc limit 1 for update) old
    where chats.id = old.id
    returning ${tx.unsafe(RETURNING.split(', ').map((column) => `chats.${column}`).join(', '))},
      (old.archived, old.pinned, old.muted_until, old.marked_unread, old.unread_count)
        is distinct from (chats.archived, chats.pinned, chats.muted_until, chats.marked_unread, chats.unread_count) as changed`
  return row && row.changed ? toChat(row) : undefined
}

/** The chat was deleted (by this instance or on the phone): its row goes; its stored messages stay. Returns it, if it was there. */
export async function deleteChat(tx: Executor, instance: InstanceIdentity, jid: string): Promise<Chat | undefined> {
  const [row] = await tx`
    delete from chats where instance_id = ${instance.id} and (jid = ${jid} or jid_alt = ${jid})
    returning ${tx.unsafe(RETURNING)}`
  return row ? toChat(row) : undefined
}

/** The chat named by either of its identities. */
export async function findChat(instanceId: string, jid: string): Promise<Chat | undefined> {
  const sql = sqlClient()
  const [row] = await sql`
    select ${sql.unsafe(RETURNING)} from chats where instance_id = ${instanceId} and (jid = ${jid} or jid_alt = ${jid})
    order by (jid = ${jid}) desc limit 1`
  return row ? toChat(row) : undefined
}

/** Where a page of chats ends: the next page starts after this chat (newest message first, then JID). */
export type ChatPosition = { lastMessageTimestamp: number; jid: string }

export type ChatListing = Chat & {
  /** A direct chat's contact name (saved, else push, else verified) or a group's subject, when the chat itself has none. */
  knownName: string | null
  /** The newest stored message of the chat (`messages.id`), if any. */
  lastMessageId: string | null
}

export type ChatFilter = {
  archived?: boolean
  kind?: 'group' | 'direct'
  /** Part of the chat's name (its own, the contact's or the group's subject), or 3+ digits of its JID. */
  search?: string
  limit: number
  after?: ChatPosition
}

/**
 * A page of an instance's chats, newest message first (chats without a known time last), keyed by
 * (newest message time, JID): a chat that moves to the top while a client pages (a new message) is
 * not shown again further down, and the others keep their places; it is on the next first page.
 */
export async function pageChats(instanceId: string, filter: ChatFilter): Promise<{ chats: ChatListing[]; next: ChatPosition | null }> {
  const sql = sqlClient()
  const pattern = filter.search === undefined ? null : containsPattern(filter.search)
  const digits = filter.search?.replace(/\D/g, '') ?? ''
  const rows = await sql`
    select ${sql.unsafe(RETURNING.split(', ').map((column) => `c.${column}`).join(', '))},
      coalesce(ct.saved_name, ct.push_name, ct.verified_name, g.metadata->>'subject') as known_name,
      -- One index descent per identity (messages_chat_timeline_idx), not a sort of the chat's messages.
      (select newest.id from (
        (select m.id, m.message_timestamp from messages m where m.instance_id = c.instance_id and m.remote_jid = c.jid
          order by m.message_timestamp desc, m.id desc limit 1)
        union all
        (select m.id, m.message_timestamp from messages m where m.instance_id = c.instance_id and m.remote_jid = c.jid_alt
          order by m.message_timestamp desc, m.id desc limit 1)) newest
        order by newest.message_timestamp desc, newest.id desc limit 1) as last_message_id
    from chats c
    left join contacts ct on ct.instance_id = c.instance_id and ct.jid = c.jid
    left join group_metadata g on g.instance_id = c.instance_id and g.jid = c.jid
    where c.instance_id = ${instanceId}
      ${filter.archived === undefined ? sql`` : sql`and c.archived = ${filter.archived}`}
      ${filter.kind === 'group' ? sql`and c.jid like '%@g.us'` : filter.kind === 'direct' ? sql`and c.jid not like '%@g.us'` : sql``}
      ${pattern === null ? sql`` : sql`and (c.name ilike ${pattern} or coalesce(ct.saved_name, ct.push_name, ct.verified_name, g.metadata->>'subject') ilike ${pattern}
        ${digits.length >= 3 ? sql`or c.jid like ${`%${digits}%`} or c.jid_alt like ${`%${digits}%`}` : sql``})`}
      ${filter.after ? sql`and (coalesce(c.last_message_timestamp, 0), c.jid) < (${filter.after.lastMessageTimestamp}, ${filter.after.jid})` : sql``}
    order by coalesce(c.last_message_timestamp, 0) desc, c.jid desc
    limit ${filter.limit + 1}`
  const chats = rows.slice(0, filter.limit).map((row) => ({
    ...toChat(row),
    knownName: (row.known_name as string | null) ?? null,
    lastMessageId: (row.last_message_id as string | null) ?? null,
  }))
  const last = chats.at(-1)
  return { chats, next: rows.length > filter.limit && last ? { lastMessageTimestamp: last.lastMessageTimestamp ?? 0, jid: last.jid } : null }
}

/** How many records of this table the account's export will hold (its progress bar's total). */
export async function countChatsForExport(userId: string): Promise<number> {
  const [row] = await sqlClient()`select count(*)::int as n from chats where user_id = ${userId}`
  return row.n as number
}
