import 'server-only'
import { toErrorCode, type ErrorCode } from '@/lib/api/errors'
import { CHANNELS } from '@/lib/bus/channels'
import { notify } from '@/lib/bus/listener'
import type { MessageStatus } from '@/lib/db/schema/messages'
import type { SendContent } from '@/lib/messages/content'
import { editPayload, messageKey, upsertPayload, type MessageKeyJson } from '@/lib/messages/payloads'
import { editedContent } from '@/lib/messages/edits'
import type { InstanceIdentity } from '@/lib/events/types'
import { recordEvent } from './events'
import { appendHistory, dateOrNull, sqlClient, type Executor, type HistoryEntry } from './sql'
import { dropHeld, insertHeld, takeDueHeld, type HeldUndecryptable } from './undecryptable-messages'

/**
 * The `messages` table (and the `message_media` bytes beside it): its one row type and every
 * statement on it. It is both the store of every message and the outbox of API sends. State rules:
 *
 * - An API send is written PENDING with a WhatsApp id chosen up front; the owning worker sets
 *   `accepted_at` (number checked, media fetched), then `send_started_at`, then SERVER_ACK or ERROR.
 *   A send started but unfinished by a dead owner is sent again by the next one with the same id.
 * - Status only moves forward along STATUS_ORDER (ERROR only from PENDING or SERVER_ACK), each move
 *   appended to `status_history` with its event in the same transaction.
 * - A caller that stopped waiting may cancel a send only while nobody has started it.
 * - `remote_jid` is the contact's phone-number JID whenever it is known, its LID otherwise, with the
 *   other identity in `remote_jid_alt`; a message is found by either.
 * - A message from a history sync is stored with `from_history` and never announced as
 *   MESSAGES_UPSERT; one already stored (live, or from an earlier sync) is left as it is.
 * - An edit replaces the content and appends the content it replaced to `edit_history`; a deletion
 *   for everyone sets `deleted_at` once. Each is announced with its event in the same transaction.
 * - A message that arrived undecryptable waits in `undecryptable_messages` (its home:
 *   lib/store/undecryptable-messages.ts) and comes here once: readable, or after the grace period as
 *   type `undecryptable` (filled in, with MESSAGES_UPDATE, if its readable copy still comes).
 */
export type MediaInfo = { mimetype: string; fileName?: string | null; size?: number }

export type Message = {
  id: string
  instanceId: string
  waId: string
  remoteJid: string
  remoteJidAlt: string | null
  fromMe: boolean
  participant: string | null
  participantAlt: string | null
  pushName: string | null
  messageType: string
  message: Record<string, unknown>
  messageTimestamp: number
  status: MessageStatus
  statusHistory: HistoryEntry<MessageStatus>[]
  viaApi: boolean
  media: MediaInfo | null
  sendContent: SendContent | null
  sendAfter: Date | null
  acceptedAt: Date | null
  sendStartedAt: Date | null
  sentAt: Date | null
  error: { code: ErrorCode; message: string } | null
  /** The failure in words, also when no code was recorded with it. */
  errorMessage: string | null
  editedAt: Date | null
  editHistory: EditHistoryEntry[]
  deletedAt: Date | null
  /** Came in a history sync: never announced as MESSAGES_UPSERT. */
  fromHistory: boolean
  createdAt: Date
}

/** A content a later edit replaced, and when. */
export type EditHistoryEntry = { message: Record<string, unknown>; messageType: string; replacedAt: string }

export type MediaBytes = { data: Buffer; mimetype: string; fileName: string | null }

/** Rows per multi-row insert: well under the 65,535 parameters a statement may have. */
const ROWS_PER_STATEMENT = 1000

export const STATUS_ORDER: MessageStatus[] = ['PENDING', 'SERVER_ACK', 'DELIVERY_ACK', 'READ', 'PLAYED']


function toMessage(row: Record<string, unknown>): Message {
  return {
    id: row.id as string,
    instanceId: row.instance_id as string,
    waId: row.wa_id as string,
    remoteJid: row.remote_jid as string,
    remoteJidAlt: (row.remote_jid_alt as string | null) ?? null,
    fromMe: Boolean(row.from_me),
    participant: (row.participant as string | null) ?? null,
    participantAlt: (row.participant_alt as string | null) ?? null,
    pushName: (row.push_name as string | null) ?? null,
    messageType: row.message_type as string,
    message: (row.message as Record<string, unknown>) ?? {},
    messageTimestamp: Number(row.message_timestamp),
    status: row.status as MessageStatus,
    statusHistory: (row.status_history as HistoryEntry<MessageStatus>[]) ?? [],
    viaApi: Boolean(row.via_api),
    media: (row.media as MediaInfo | null) ?? null,
    sendContent: (row.send_content as SendContent | null) ?? null,
    sendAfter: dateOrNull(row.send_after),
    acceptedAt: dateOrNull(row.accepted_at),
    sendStartedAt: dateOrNull(row.send_started_at),
    sentAt: dateOrNull(row.sent_at),
    error: row.error_code ? { code: toErrorCode(row.error_code), message: (row.error_message as string | null) ?? '' } : null,
    errorMessage: (row.error_message as string | null) ?? null,
    editedAt: dateOrNull(row.edited_at),
    editHistory: (row.edit_history as EditHistoryEntry[] | null) ?? [],
    deletedAt: dateOrNull(row.deleted_at),
    fromHistory: Boolean(row.from_history),
    createdAt: new Date(row.created_at as string),
  }
}

const COLUMNS = `m.id, m.instance_id, m.wa_id, m.remote_jid, m.remote_jid_alt, m.from_me, m.participant, m.participant_alt, m.push_name,
  m.message_type, m.message, m.message_timestamp, m.status, m.status_history, m.via_api, m.media, m.send_content, m.send_after,
  m.accepted_at, m.send_started_at, m.sent_at, m.error_code, m.error_message, m.edited_at, m.edit_history, m.deleted_at, m.from_history, m.created_at`

// ---------------------------------------------------------------- reads

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

export async function mediaBytes(messageId: string): Promise<MediaBytes | undefined> {
  const [row] = await sqlClient()`select data, mimetype, file_name from message_media where message_id = ${messageId}`
  return row ? { data: Buffer.from(row.data), mimetype: row.mimetype, fileName: row.file_name ?? null } : undefined
}

/** Received media, cached on its first download (a second download racing it changes nothing). */
export async function cacheMedia(messageId: string, media: MediaBytes): Promise<void> {
  await sqlClient()`
    insert into message_media (message_id, data, mimetype, file_name) values (${messageId}, ${media.data}, ${media.mimetype}, ${media.fileName})
    on conflict (message_id) do nothing`
}

// ---------------------------------------------------------------- the outbox: web side

/**
 * Writes an API send (and its media bytes) in one transaction, PENDING, with its WhatsApp id; its row
 * id, or undefined when the account already has an API send with that WhatsApp id (a send keyed by an
 * Idempotency-Key that was already made: findApiSend).
 */
export async function insertOutgoing(send: {
  instance: InstanceIdentity
  waId: string
  remoteJid: string
  /** The chat's LID when remoteJid is the phone number and the mapping is known. */
  remoteJidAlt?: string | null
  preview: Record<string, unknown>
  content: SendContent
  sendAfter: Date | null
  media?: MediaBytes
  /** The fingerprint of the request, when it came with an Idempotency-Key. */
  requestHash?: string | null
}): Promise<string | undefined> {
  const now = new Date()
  const messageType = Object.keys(send.preview)[0]
  return sqlClient().begin(async (tx) => {
    const [row] = await tx`
      insert into messages (instance_id, user_id, wa_id, remote_jid, remote_jid_alt, from_me, message_type, message, message_timestamp, status,
                            status_history, via_api, send_content, send_after, media, request_hash)
      values (${send.instance.id}, ${send.instance.userId}, ${send.waId}, ${send.remoteJid}, ${send.remoteJidAlt ?? null}, true, ${messageType}, ${tx.json(send.preview as never)},
              ${Math.floor(now.getTime() / 1000)}, 'PENDING', ${tx.json([{ status: 'PENDING', at: now.toISOString() }] as never)}, true,
              ${tx.json(send.content as never)}, ${send.sendAfter},
              ${send.media ? tx.json({ mimetype: send.media.mimetype, fileName: send.media.fileName, size: send.media.data.length } as never) : null},
              ${send.requestHash ?? null})
      on conflict (user_id, wa_id) where via_api do nothing
      returning id`
    if (!row) return undefined
    if (send.media) {
      await tx`insert into message_media (message_id, data, mimetype, file_name) values (${row.id}, ${send.media.data}, ${send.media.mimetype}, ${send.media.fileName})`
    }
    return row.id as string
  })
}

/** The account's API send with this WhatsApp id, with the fingerprint of the request that made it. */
export async function findApiSend(userId: string, waId: string): Promise<{ message: Message; requestHash: string | null } | undefined> {
  const sql = sqlClient()
  const [row] = await sql`
    select ${sql.unsafe(COLUMNS)}, m.request_hash from messages m where m.user_id = ${userId} and m.wa_id = ${waId} and m.via_api`
  return row ? { message: toMessage(row), requestHash: (row.request_hash as string | null) ?? null } : undefined
}

export async function readOutgoing(id: string): Promise<Message> {
  const sql = sqlClient()
  const [row] = await sql`select ${sql.unsafe(COLUMNS)} from messages m where m.id = ${id}`
  return toMessage(row)
}

/** Cancels a send nobody has started (the caller gave up waiting); its WhatsApp id when it was cancelled. */
export async function cancelUnstarted(id: string, reason: string): Promise<string | undefined> {
  const sql = sqlClient()
  const [row] = await sql`
    update messages set status = 'ERROR', error_code = 'timeout', error_message = ${reason},
      status_history = ${appendHistory(sql, 'ERROR')}, updated_at = now()
    where id = ${id} and send_started_at is null and status = 'PENDING'
    returning wa_id`
  return row?.wa_id
}

// ---------------------------------------------------------------- the outbox: worker side

/** The instance's unsent API sends, in accept order, only while `workerId` holds the instance. */
export async function pendingOutbox(instanceId: string, workerId: string): Promise<Message[]> {
  const sql = sqlClient()
  const rows = await sql`
    select ${sql.unsafe(COLUMNS)} from messages m join instances i on i.id = m.instance_id and i.worker_id = ${workerId}
    where m.instance_id = ${instanceId} and m.via_api and m.sent_at is null and m.status = 'PENDING'
    order by m.created_at, m.id`
  return rows.map(toMessage)
}

/** Media fetched from the send's URL: bytes and the row's media info together. */
export async function attachFetchedMedia(id: string, media: MediaBytes): Promise<void> {
  await sqlClient().begin(async (tx) => {
    await tx`
      insert into message_media (message_id, data, mimetype, file_name) values (${id}, ${media.data}, ${media.mimetype}, ${media.fileName})
      on conflict (message_id) do nothing`
    await tx`update messages set media = ${tx.json({ mimetype: media.mimetype, fileName: media.fileName, size: media.data.length } as never)} where id = ${id}`
  })
}

export async function hasStoredMedia(id: string): Promise<boolean> {
  const [row] = await sqlClient()`select 1 from message_media where message_id = ${id}`
  return Boolean(row)
}

export async function markAccepted(id: string): Promise<void> {
  await sqlClient()`update messages set accepted_at = now() where id = ${id}`
  await notify(CHANNELS.messageChanged, id)
}

export async function markSendStarted(id: string): Promise<void> {
  await sqlClient()`update messages set send_started_at = coalesce(send_started_at, now()) where id = ${id}`
}

/** WhatsApp took the send: SERVER_ACK with the message as sent, announced as MESSAGES_UPSERT and SEND_MESSAGE_UPDATE. */
export async function markSent(instance: InstanceIdentity, id: string, sentMessage: Record<string, unknown> | undefined): Promise<void> {
  await sqlClient().begin(async (tx) => {
    const [row] = await tx`
      update messages set status = 'SERVER_ACK', sent_at = now(), updated_at = now(),
        message = coalesce(${sentMessage ? tx.json(sentMessage as never) : null}::jsonb, message),
        status_history = ${appendHistory(tx, 'SERVER_ACK')}
      where id = ${id} and status = 'PENDING'
      returning *`
    if (!row) return
    const sent = toMessage(row)
    await recordEvent(tx, instance, 'MESSAGES_UPSERT', upsertPayload(sent, { instanceName: instance.name, status: 'SERVER_ACK', media: sent.media }))
    await recordEvent(tx, instance, 'SEND_MESSAGE_UPDATE', { key: messageKey(sent), status: 'SERVER_ACK' })
  })
  await notify(CHANNELS.messageChanged, id)
}

/** The send cannot go out: ERROR with its reason, announced as SEND_MESSAGE_UPDATE. */
export async function markFailed(instance: InstanceIdentity, id: string, failure: { code: ErrorCode; message: string }): Promise<void> {
  await sqlClient().begin(async (tx) => {
    const [row] = await tx`
      update messages set status = 'ERROR', error_code = ${failure.code}, error_message = ${failure.message}, updated_at = now(),
        status_history = ${appendHistory(tx, 'ERROR')}
      where id = ${id} and status = 'PENDING'
      returning remote_jid, wa_id`
    if (!row) return
    await recordEvent(tx, instance, 'SEND_MESSAGE_UPDATE', { key: { remoteJid: row.remote_jid, fromMe: true, id: row.wa_id }, status: 'ERROR', error: failure })
  })
  await notify(CHANNELS.messageChanged, id)
}

/**
 * Our own message as WhatsApp got it, for a recipient's device that could not decrypt it and asks for
 * it again (a retry receipt): the content before any edit, only once WhatsApp took it (an API send's
 * `message` is then the content exactly as sent, media keys included: `markSent`), and only while its
 * WhatsApp timestamp is within `maxAgeSeconds`: an older message is not sent again.
 */
export async function ownMessageForResend(instanceId: string, waId: string, maxAgeSeconds: number): Promise<Record<string, unknown> | undefined> {
  const [row] = await sqlClient()`
    select message, edit_history from messages
    where instance_id = ${instanceId} and wa_id = ${waId} and from_me and status not in ('PENDING', 'ERROR')
      and message_timestamp >= extract(epoch from now())::bigint - ${maxAgeSeconds}
    order by created_at desc limit 1`
  if (!row) return undefined
  const [original] = (row.edit_history as EditHistoryEntry[] | null) ?? []
  return original?.message ?? (row.message as Record<string, unknown>)
}

/** The stored message a reply quotes, when we have it. */
export async function findQuotable(instanceId: string, waId: string): Promise<Pick<Message, 'remoteJid' | 'fromMe' | 'participant' | 'message'> | undefined> {
  const [row] = await sqlClient()`
    select remote_jid, from_me, participant, message from messages where instance_id = ${instanceId} and wa_id = ${waId} limit 1`
  return row ? { remoteJid: row.remote_jid, fromMe: row.from_me, participant: row.participant ?? null, message: row.message } : undefined
}

// ---------------------------------------------------------------- what WhatsApp tells the worker

export type IncomingMessage = Pick<Message, 'remoteJid' | 'fromMe' | 'waId' | 'participant' | 'pushName' | 'messageType' | 'message' | 'messageTimestamp' | 'status' | 'media'> &
  Partial<Pick<Message, 'remoteJidAlt' | 'participantAlt'>>

/**
 * Stores a message WhatsApp delivered (or one the phone sent) and announces it as MESSAGES_UPSERT,
 * once: false when it was already stored (a redelivery, or an API send seen again). The readable copy
 * of a message that first arrived undecryptable replaces its held stub (announced once, with its
 * content); one that comes after the stub was announced as undecryptable fills it in (MESSAGES_UPDATE).
 */
export async function insertIncoming(instance: InstanceIdentity, message: IncomingMessage): Promise<boolean> {
  return sqlClient().begin(async (tx) => {
    // The held stub first: the announcer locks it before it inserts (announceDueUndecryptable), so
    // both take their locks in the same order.
    await dropHeld(tx, instance.id, { waId: message.waId, fromMe: message.fromMe, chats: chatsOf(message) })
    const [inserted] = await tx`
      insert into messages (instance_id, user_id, wa_id, remote_jid, remote_jid_alt, from_me, participant, participant_alt, push_name, message_type, message,
                            message_timestamp, status, status_history, media)
      values (${instance.id}, ${instance.userId}, ${message.waId}, ${message.remoteJid}, ${message.remoteJidAlt ?? null}, ${message.fromMe},
              ${message.participant}, ${message.participantAlt ?? null}, ${message.pushName},
              ${message.messageType}, ${tx.json(message.message as never)}, ${message.messageTimestamp}, ${message.status},
              ${tx.json([{ status: message.status, at: new Date().toISOString() }] as never)}, ${message.media ? tx.json(message.media as never) : null})
      on conflict (instance_id, remote_jid, wa_id, from_me) do nothing
      returning id`
    if (!inserted) return fillUndecryptable(tx, instance, message)
    await recordEvent(tx, instance, 'MESSAGES_UPSERT', upsertPayload(message, { instanceName: instance.name, status: message.status, media: message.media }))
    return true
  })
}

/** The message type of a message that never became readable (README of the webhook events: MESSAGES_UPSERT). */
export const UNDECRYPTABLE = 'undecryptable'

const chatsOf = (message: { remoteJid: string; remoteJidAlt?: string | null }) => [message.remoteJid, message.remoteJidAlt].filter((jid): jid is string => !!jid)

async function fillUndecryptable(tx: Executor, instance: InstanceIdentity, message: IncomingMessage): Promise<boolean> {
  const [row] = await tx`
    update messages set message_type = ${message.messageType}, message = ${tx.json(message.message as never)},
      media = ${message.media ? tx.json(message.media as never) : null}, push_name = coalesce(push_name, ${message.pushName}), updated_at = now()
    where instance_id = ${instance.id} and wa_id = ${message.waId} and from_me = ${message.fromMe} and message_type = ${UNDECRYPTABLE}
      and (remote_jid = any(${chatsOf(message)}) or remote_jid_alt = any(${chatsOf(message)}))
    returning remote_jid, remote_jid_alt, from_me, wa_id, participant, participant_alt`
  if (!row) return false
  const key = messageKey({ remoteJid: row.remote_jid, remoteJidAlt: row.remote_jid_alt, fromMe: row.from_me, waId: row.wa_id, participant: row.participant, participantAlt: row.participant_alt })
  await recordEvent(tx, instance, 'MESSAGES_UPDATE', { key, messageType: message.messageType, message: message.message })
  return true
}

/**
 * A message WhatsApp delivered that this device could not decrypt: held (not stored, not announced)
 * while the sender may resend it readable; nothing when its readable copy is already here.
 */
export async function holdUndecryptable(instance: InstanceIdentity, held: HeldUndecryptable): Promise<void> {
  await sqlClient().begin(async (tx) => {
    const [stored] = await tx`
      select 1 from messages where instance_id = ${instance.id} and wa_id = ${held.waId} and from_me = ${held.fromMe}
        and (remote_jid = any(${chatsOf(held)}) or remote_jid_alt = any(${chatsOf(held)}))`
    if (!stored) await insertHeld(tx, instance, held)
  })
}

/**
 * Held messages of instances `workerId` holds that stayed unreadable for `graceMs`: recorded as
 * messages of type `undecryptable` and announced as MESSAGES_UPSERT, each once (the row is taken in
 * the same transaction). How many were announced.
 */
export async function announceDueUndecryptable(workerId: string, graceMs: number): Promise<number> {
  return sqlClient().begin(async (tx) => {
    let announced = 0
    for (const { instance, reason: _reason, ...held } of await takeDueHeld(tx, workerId, graceMs, 100)) {
      const status: MessageStatus = held.fromMe ? 'SERVER_ACK' : 'DELIVERY_ACK'
      const [inserted] = await tx`
        insert into messages (instance_id, user_id, wa_id, remote_jid, remote_jid_alt, from_me, participant, participant_alt, push_name, message_type, message,
                              message_timestamp, status, status_history)
        select ${instance.id}, ${instance.userId}, ${held.waId}, ${held.remoteJid}, ${held.remoteJidAlt}, ${held.fromMe}, ${held.participant},
               ${held.participantAlt}, ${held.pushName}, ${UNDECRYPTABLE}, '{}'::jsonb, ${held.messageTimestamp}, ${status},
               ${tx.json([{ status, at: new Date().toISOString() }] as never)}
        where not exists (
          select 1 from messages where instance_id = ${instance.id} and wa_id = ${held.waId} and from_me = ${held.fromMe}
            and (remote_jid = any(${chatsOf(held)}) or remote_jid_alt = any(${chatsOf(held)})))
        on conflict (instance_id, remote_jid, wa_id, from_me) do nothing
        returning id`
      if (!inserted) continue
      const message = { ...held, messageType: UNDECRYPTABLE, message: {} }
      await recordEvent(tx, instance, 'MESSAGES_UPSERT', upsertPayload(message, { instanceName: instance.name, status }))
      announced += 1
    }
    return announced
  })
}

/**
 * Stores the messages of a history sync that are not stored yet (`from_history`, no event of their
 * own) and returns those, in the order given: the caller announces them in MESSAGES_SET batches.
 */
export async function insertHistory(tx: Executor, instance: InstanceIdentity, messages: IncomingMessage[]): Promise<IncomingMessage[]> {
  if (!messages.length) return []
  const now = new Date().toISOString()
  const rows = messages.map((m) => ({
    instance_id: instance.id,
    user_id: instance.userId,
    wa_id: m.waId,
    remote_jid: m.remoteJid,
    remote_jid_alt: m.remoteJidAlt ?? null,
    from_me: m.fromMe,
    participant: m.participant,
    participant_alt: m.participantAlt ?? null,
    push_name: m.pushName,
    message_type: m.messageType,
    message: tx.json(m.message as never),
    message_timestamp: m.messageTimestamp,
    status: m.status,
    status_history: tx.json([{ status: m.status, at: now }] as never),
    media: m.media ? tx.json(m.media as never) : null,
    from_history: true,
  }))
  const fresh = new Set<string>()
  // A statement takes at most 65,535 parameters: a merged history set can hold many thousand messages.
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const inserted = await tx`
      insert into messages ${tx(rows.slice(start, start + ROWS_PER_STATEMENT))}
      on conflict (instance_id, remote_jid, wa_id, from_me) do nothing
      returning remote_jid, wa_id, from_me`
    for (const row of inserted) fresh.add(`${row.remote_jid}|${row.wa_id}|${row.from_me}`)
  }
  return messages.filter((m) => fresh.delete(`${m.remoteJid}|${m.waId}|${m.fromMe}`))
}

/** Moves a stored message forward to `status` (never back), with MESSAGES_UPDATE and, for API sends, SEND_MESSAGE_UPDATE. */
export async function advanceStatus(instance: InstanceIdentity, key: { remoteJid: string; id: string; fromMe: boolean }, status: MessageStatus): Promise<void> {
  const allowedFrom = status === 'ERROR' ? ['PENDING', 'SERVER_ACK'] : STATUS_ORDER.slice(0, STATUS_ORDER.indexOf(status))
  await sqlClient().begin(async (tx) => {
    const [row] = await tx`
      update messages set status = ${status}, updated_at = now(), status_history = ${appendHistory(tx, status)}
      where instance_id = ${instance.id} and wa_id = ${key.id} and (remote_jid = ${key.remoteJid} or remote_jid_alt = ${key.remoteJid})
        and from_me = ${key.fromMe} and status = any(${allowedFrom})
      returning via_api, remote_jid, remote_jid_alt, from_me, wa_id`
    if (!row) return
    const data = { key: messageKey({ remoteJid: row.remote_jid, remoteJidAlt: row.remote_jid_alt, fromMe: row.from_me, waId: row.wa_id }), status }
    await recordEvent(tx, instance, 'MESSAGES_UPDATE', data)
    if (row.via_api) await recordEvent(tx, instance, 'SEND_MESSAGE_UPDATE', data)
  })
}

// ---------------------------------------------------------------- edits and deletions

/**
 * A message as our side knows it, named by an edit or a deletion: its chat by any of its identities
 * (phone number or LID), its id, and whether we sent it. `key` is what the event shows when the
 * message itself was never stored here (sent before pairing, say).
 */
export type MessageTarget = { chats: string[]; id: string; fromMe: boolean; key: MessageKeyJson }

/** The stored message an edit or deletion names, locked for the rest of the transaction. */
async function lockTarget(tx: Executor, instance: InstanceIdentity, target: MessageTarget): Promise<Record<string, unknown> | undefined> {
  const [row] = await tx`
    select ${tx.unsafe(COLUMNS)} from messages m
    where m.instance_id = ${instance.id} and m.wa_id = ${target.id} and m.from_me = ${target.fromMe}
      and (m.remote_jid = any(${target.chats}) or m.remote_jid_alt = any(${target.chats}))
    limit 1 for update`
  return row
}

/** The sender edited a message: new content stored, the old kept in `edit_history`, MESSAGES_UPDATE with `editedAt`. */
export async function applyEdit(instance: InstanceIdentity, target: MessageTarget, replacement: Record<string, unknown>, editedAt: Date): Promise<void> {
  await sqlClient().begin(async (tx) => {
    const row = await lockTarget(tx, instance, target)
    if (!row) {
      const [type] = Object.keys(replacement)
      await recordEvent(tx, instance, 'MESSAGES_UPDATE', { key: target.key, messageType: type ?? 'conversation', message: replacement, editedAt: editedAt.toISOString() })
      return
    }
    const stored = toMessage(row)
    const edited = editedContent(stored, replacement)
    // The same edit delivered twice changes nothing and is announced once.
    if (JSON.stringify(edited.message) === JSON.stringify(stored.message)) return
    const replaced: EditHistoryEntry = { message: stored.message, messageType: stored.messageType, replacedAt: new Date().toISOString() }
    await tx`
      update messages set message = ${tx.json(edited.message as never)}, message_type = ${edited.messageType}, edited_at = ${editedAt},
        edit_history = edit_history || ${tx.json([replaced] as never)}, updated_at = now()
      where id = ${stored.id}`
    await recordEvent(tx, instance, 'MESSAGES_UPDATE', editPayload({ ...stored, ...edited }, editedAt))
  })
}

/** The sender deleted a message for everyone: marked deleted once, announced as MESSAGES_DELETE once. */
export async function markDeleted(instance: InstanceIdentity, target: MessageTarget): Promise<void> {
  await sqlClient().begin(async (tx) => {
    const row = await lockTarget(tx, instance, target)
    if (!row) {
      await recordEvent(tx, instance, 'MESSAGES_DELETE', { key: target.key })
      return
    }
    const stored = toMessage(row)
    if (stored.deletedAt) return
    await tx`update messages set deleted_at = now(), updated_at = now() where id = ${stored.id}`
    await recordEvent(tx, instance, 'MESSAGES_DELETE', { key: messageKey(stored) })
  })
}

/** Metrics: API sends not yet sent (the outbox's depth, every instance). */
export async function countUnsentOutbox(): Promise<number> {
  const [row] = await sqlClient()`select count(*)::int as n from messages where via_api and sent_at is null and status = 'PENDING'`
  return row.n as number
}
