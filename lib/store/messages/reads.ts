// Reads of `messages` for the API, the dashboard and the worker (state rules: index.ts).
import 'server-only'
import { sqlClient } from '../sql'
import { toMessage, COLUMNS, type Message } from './row'

export async function findById(instanceId: string, id: string): Promise<Message | undefined> {
  const sql = sqlClient()
  const [row] = await sql`select ${sql.unsafe(COLUMNS)} from messages m where m.id = ${id} and m.instance_id = ${instanceId}`
  return row ? toMessage(row) : undefined
}

/** By WhatsApp id: unique per chat, so our own sends are preferred when an id repeats across chats. */
export async function findByWaId(instanceId: string, waId: string): Promise<Message | undefined> {
  const sql = sqlClient()
  const [row] = await sql`
    select ${sql.unsafe(COLUMNS)} from messages m where m.instance_id = ${instanceId} and m.wa_id = ${waId}
    order by m.from_me desc, m.created_at desc limit 1`
  return row ? toMessage(row) : undefined
}

/** Where a page of messages ends: the next page starts after this message (newest first). */
export type MessagePosition = { messageTimestamp: number; id: string }

export type MessageFilter = {
  /** One chat, by all of its identities (`remote_jid` is one of them); every chat when absent. */
  chatJids?: string[]
  fromMe?: boolean
  waId?: string
  messageType?: string
  /** Leave these types out (the dashboard folds reactions into the messages they react to). */
  excludeTypes?: string[]
  /** Unix seconds, inclusive. */
  since?: number
  until?: number
  /** Words to find in the text or caption (web-search syntax: "a phrase", or, -word). */
  text?: string
  limit: number
  after?: MessagePosition
}

/**
 * A page of an instance's messages, newest first, keyed by (message_timestamp, id): a message stored
 * while a client pages lands before its first page or in its right place further on, so no message
 * is shown twice or skipped. Text search uses the generated `search_vector` and its GIN index.
 */
export async function pageMessages(instanceId: string, filter: MessageFilter): Promise<{ messages: Message[]; next: MessagePosition | null }> {
  const sql = sqlClient()
  const page = (chat: string | null) => sql`
    select ${sql.unsafe(COLUMNS)} from messages m
    where m.instance_id = ${instanceId}
      ${chat === null ? sql`` : sql`and m.remote_jid = ${chat}`}
      ${filter.fromMe === undefined ? sql`` : sql`and m.from_me = ${filter.fromMe}`}
      ${filter.waId === undefined ? sql`` : sql`and m.wa_id = ${filter.waId}`}
      ${filter.messageType === undefined ? sql`` : sql`and m.message_type = ${filter.messageType}`}
      ${filter.excludeTypes === undefined ? sql`` : sql`and m.message_type <> all(${filter.excludeTypes})`}
      ${filter.since === undefined ? sql`` : sql`and m.message_timestamp >= ${filter.since}`}
      ${filter.until === undefined ? sql`` : sql`and m.message_timestamp <= ${filter.until}`}
      ${filter.text === undefined ? sql`` : sql`and m.search_vector @@ websearch_to_tsquery('simple', ${filter.text})`}
      ${filter.after ? sql`and (m.message_timestamp, m.id) < (${filter.after.messageTimestamp}, ${filter.after.id})` : sql``}
    order by m.message_timestamp desc, m.id desc
    limit ${filter.limit + 1}`
  // A chat's messages may be filed under either identity: one ordered index walk per identity
  // (messages_chat_timeline_idx), merged here, instead of sorting all of the chat's messages.
  const found = filter.chatJids ? (await Promise.all(filter.chatJids.map(page))).flat() : await page(null)
  const rows = found
    .map(toMessage)
    .sort((a, b) => b.messageTimestamp - a.messageTimestamp || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
  const messages = rows.slice(0, filter.limit)
  const last = messages.at(-1)
  return { messages, next: rows.length > filter.limit && last ? { messageTimestamp: last.messageTimestamp, id: last.id } : null }
}

/** Whether any message is filed under this chat JID (a chat the `chats` table has no row for, e.g. only an unsent API send). */
export async function hasMessagesIn(instanceId: string, remoteJid: string): Promise<boolean> {
  const [row] = await sqlClient()`select 1 from messages where instance_id = ${instanceId} and remote_jid = ${remoteJid} limit 1`
  return Boolean(row)
}

export type Reaction = { targetId: string; emoji: string; fromMe: boolean; reactor: string; messageTimestamp: number }

/**
 * The reactions filed in a chat to these of its messages (by WhatsApp id), oldest first: a reactor's
 * later reaction replaces the earlier one, and an empty one takes it back.
 */
export async function reactionsTo(instanceId: string, chatJids: string[], waIds: string[]): Promise<Reaction[]> {
  if (!waIds.length || !chatJids.length) return []
  const rows = await sqlClient()`
    select m.message->'reactionMessage'->'key'->>'id' as target_id, coalesce(m.message->'reactionMessage'->>'text', '') as emoji, m.from_me,
      coalesce(m.participant, m.remote_jid) as reactor, m.message_timestamp
    from messages m
    where m.instance_id = ${instanceId} and m.remote_jid = any(${chatJids}) and m.message_type = 'reactionMessage'
      and m.message->'reactionMessage'->'key'->>'id' = any(${waIds})
    order by m.message_timestamp, m.created_at`
  return rows.map((row) => ({
    targetId: row.target_id as string,
    emoji: row.emoji as string,
    fromMe: row.from_me as boolean,
    reactor: row.reactor as string,
    messageTimestamp: Number(row.message_timestamp),
  }))
}

/** These messages of the instance (others' ids are ignored), in no particular order. */
export async function findByIds(instanceId: string, ids: string[]): Promise<Message[]> {
  if (!ids.length) return []
  const sql = sqlClient()
  return (await sql`select ${sql.unsafe(COLUMNS)} from messages m where m.instance_id = ${instanceId} and m.id = any(${ids}::uuid[])`).map(toMessage)
}

/** The account's messages per UTC day since `since` (one instance's when given): sent, received and failed sends. */
export async function messagesPerDay(userId: string, since: Date, instanceId?: string): Promise<{ day: string; sent: number; received: number; failed: number }[]> {
  const sql = sqlClient()
  const rows = await sql`
    select to_char(date_trunc('day', created_at at time zone 'utc'), 'YYYY-MM-DD') as day,
           count(*) filter (where from_me and status <> 'ERROR')::int as sent,
           count(*) filter (where not from_me)::int as received,
           count(*) filter (where from_me and status = 'ERROR')::int as failed
    from messages
    where user_id = ${userId} and created_at >= ${since}
      -- through the account's instances, so (instance_id, created_at) serves the range
      and instance_id = any(select id from instances where user_id = ${userId} ${instanceId ? sql`and id = ${instanceId}` : sql``})
    group by 1 order by 1`
  return rows.map((row) => ({ day: row.day as string, sent: Number(row.sent), received: Number(row.received), failed: Number(row.failed) }))
}

/** Per instance of the account: when its newest message was stored, and how many it stored since midnight UTC (the instances list). */
export async function activityByInstance(userId: string): Promise<Map<string, { lastMessageAt: Date | null; today: number }>> {
  const rows = await sqlClient()`
    select i.id, a.last_at, a.today
    from instances i
    cross join lateral (
      select max(m.created_at) as last_at,
             count(*) filter (where m.created_at >= date_trunc('day', now() at time zone 'utc') at time zone 'utc')::int as today
      from messages m where m.instance_id = i.id
    ) a
    where i.user_id = ${userId}`
  return new Map(rows.map((row) => [row.id as string, { lastMessageAt: row.last_at ? new Date(row.last_at) : null, today: Number(row.today) }]))
}

/** The instance's latest messages, newest first, scoped to the account in the query itself. */
export async function latestForInstance(userId: string, instanceId: string, limit: number): Promise<Message[]> {
  const sql = sqlClient()
  const rows = await sql`
    select ${sql.unsafe(COLUMNS)} from messages m where m.user_id = ${userId} and m.instance_id = ${instanceId}
    order by m.created_at desc, m.id desc limit ${limit}`
  return rows.map(toMessage)
}

/** What one chat sent to the instance, newest first. */
export async function latestFromChat(userId: string, instanceId: string, remoteJid: string, limit: number): Promise<Message[]> {
  const sql = sqlClient()
  const rows = await sql`
    select ${sql.unsafe(COLUMNS)} from messages m
    where m.user_id = ${userId} and m.instance_id = ${instanceId} and m.from_me = false and m.remote_jid = ${remoteJid}
    order by m.created_at desc limit ${limit}`
  return rows.map(toMessage)
}

/** The stored message a reply quotes, when we have it. */
export async function findQuotable(instanceId: string, waId: string): Promise<Pick<Message, 'remoteJid' | 'fromMe' | 'participant' | 'message'> | undefined> {
  const [row] = await sqlClient()`
    select remote_jid, from_me, participant, message from messages where instance_id = ${instanceId} and wa_id = ${waId} limit 1`
  return row ? { remoteJid: row.remote_jid, fromMe: row.from_me, participant: row.participant ?? null, message: row.message } : undefined
}
