// The outbox: API sends from the web tier's insert to the worker's sent or failed (state rules: index.ts).
import 'server-only'
import { v7 as uuidv7 } from 'uuid'
import type { ErrorCode } from '@/lib/api/errors'
import { CHANNELS } from '@/lib/bus/channels'
import { notify, notifyStatement, notifyWithin } from '@/lib/bus/listener'
import type { MessageStatus } from '@/lib/db/schema/messages'
import type { SendContent } from '@/lib/messages/content'
import { messageKey, upsertPayload, type MessageKeyJson } from '@/lib/messages/payloads'
import type { InstanceIdentity } from '@/lib/events/types'
import { chatMessageStatement } from '../chats'
import { recordEvent, recordEventStatement } from '../events'
import { appendHistory, sqlClient, twoTripTransaction, type Executor } from '../sql'
import { insertMedia, mediaInfo } from './media'
import { heldByLiveWorker } from '../workers'
import { toMessage, COLUMNS, type Message, type EditHistoryEntry, type StoredMedia } from './row'

// ---------------------------------------------------------------- the outbox: web side

/**
 * Writes an API send (and its media bytes) in one transaction, PENDING (or SCHEDULED, announced as
 * SEND_MESSAGE_UPDATE, when it has a `sendAt`), with its WhatsApp id, and wakes the instance's
 * outbox (CHANNELS.outbox, sent by the insert itself: delivered with the commit); its row id, or
 * undefined when the account already has an API send with that WhatsApp id (a send keyed by an
 * Idempotency-Key that was already made: findApiSend). A plain send is one statement: one round trip.
 */
export async function insertOutgoing(send: {
  /** The row id, chosen up front when its media went to the bucket under it (lib/media/files.ts). */
  id?: string
  instance: InstanceIdentity
  waId: string
  remoteJid: string
  /** The chat's LID when remoteJid is the phone number and the mapping is known. */
  remoteJidAlt?: string | null
  preview: Record<string, unknown>
  content: SendContent
  sendAfter: Date | null
  /** A scheduled send's time: written SCHEDULED instead of PENDING. */
  sendAt?: Date | null
  /** `priority: "transactional"`: skips the send policy's pacing. */
  transactional?: boolean
  media?: StoredMedia
  /** The fingerprint of the request, when it came with an Idempotency-Key. */
  requestHash?: string | null
}): Promise<string | undefined> {
  const now = new Date()
  const messageType = Object.keys(send.preview)[0]
  const status: MessageStatus = send.sendAt ? 'SCHEDULED' : 'PENDING'
  const insert = async (sql: Executor): Promise<string | undefined> => {
    const [row] = await sql`
      insert into messages (id, instance_id, user_id, wa_id, remote_jid, remote_jid_alt, from_me, message_type, message, message_timestamp, status,
                            status_history, via_api, send_content, send_after, send_at, transactional, media, request_hash)
      values (${send.id ?? uuidv7()}, ${send.instance.id}, ${send.instance.userId}, ${send.waId}, ${send.remoteJid}, ${send.remoteJidAlt ?? null}, true, ${messageType}, ${sql.json(send.preview as never)},
              ${Math.floor(now.getTime() / 1000)}, ${status}, ${sql.json([{ status, at: now.toISOString() }] as never)}, true,
              ${sql.json(send.content as never)}, ${send.sendAfter}, ${send.sendAt ?? null}, ${send.transactional ?? false},
              ${send.media ? sql.json(mediaInfo(send.media) as never) : null},
              ${send.requestHash ?? null})
      on conflict (user_id, wa_id) where via_api do nothing
      returning id, pg_notify(${CHANNELS.outbox}, ${send.instance.id}::text)`
    return row?.id as string | undefined
  }
  if (!send.sendAt && !send.media) return insert(sqlClient())
  return sqlClient().begin(async (tx) => {
    const id = await insert(tx)
    if (!id) return undefined
    if (send.sendAt) {
      const key = messageKey({ remoteJid: send.remoteJid, remoteJidAlt: send.remoteJidAlt ?? null, fromMe: true, waId: send.waId })
      await recordEvent(tx, send.instance, 'SEND_MESSAGE_UPDATE', { key, status: 'SCHEDULED' })
    }
    if (send.media) await insertMedia(tx, id, send.media)
    return id
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

/**
 * Calls off a scheduled send that is not yet due (no worker has moved it on): CANCELLED, announced
 * as SEND_MESSAGE_UPDATE. Its key once cancelled (again, when it already was), `started` when it is
 * on its way or gone, `unknown` when the instance sent no message with this id.
 */
export async function cancelScheduled(instance: InstanceIdentity, waId: string): Promise<{ key: MessageKeyJson } | 'started' | 'unknown'> {
  const outcome = await sqlClient().begin(async (tx) => {
    const [row] = await tx`
      update messages set status = 'CANCELLED', status_history = ${appendHistory(tx, 'CANCELLED')}, updated_at = now()
      where instance_id = ${instance.id} and wa_id = ${waId} and via_api and status = 'SCHEDULED'
      returning id, remote_jid, remote_jid_alt, wa_id`
    if (row) {
      const key = messageKey({ remoteJid: row.remote_jid, remoteJidAlt: row.remote_jid_alt, fromMe: true, waId: row.wa_id })
      await recordEvent(tx, instance, 'SEND_MESSAGE_UPDATE', { key, status: 'CANCELLED' })
      return { key, changed: row.id as string }
    }
    const [existing] = await tx`
      select remote_jid, remote_jid_alt, wa_id, status from messages where instance_id = ${instance.id} and wa_id = ${waId} and from_me
      order by via_api desc limit 1`
    if (!existing) return 'unknown' as const
    // Cancelling twice is the same as once.
    if (existing.status !== 'CANCELLED') return 'started' as const
    return { key: messageKey({ remoteJid: existing.remote_jid, remoteJidAlt: existing.remote_jid_alt, fromMe: true, waId: existing.wa_id }), changed: undefined }
  })
  if (typeof outcome === 'string') return outcome
  if (outcome.changed) await notify(CHANNELS.messageChanged, outcome.changed)
  return { key: outcome.key }
}

/** One page of the instance's scheduled sends, soonest first; `after` is the (send_at, id) the previous page ended on. */
export async function scheduledPage(
  userId: string,
  instanceId: string,
  page: { limit: number; after?: { sendAt: Date; id: string } },
): Promise<{ messages: Message[]; last: { sendAt: Date; id: string } | null }> {
  const sql = sqlClient()
  const rows = await sql`
    select ${sql.unsafe(COLUMNS)} from messages m
    where m.user_id = ${userId} and m.instance_id = ${instanceId} and m.via_api and m.sent_at is null and m.status = 'SCHEDULED'
      ${page.after ? sql`and (m.send_at, m.id) > (${page.after.sendAt}, ${page.after.id})` : sql``}
    order by m.send_at, m.id limit ${page.limit + 1}`
  const messages = rows.slice(0, page.limit).map(toMessage)
  const lastRow = messages.at(-1)
  return { messages, last: rows.length > page.limit && lastRow ? { sendAt: lastRow.sendAt!, id: lastRow.id } : null }
}

// ---------------------------------------------------------------- the outbox: worker side

/**
 * The instance's unsent API sends, in accept order, only while `workerId` holds the instance: every
 * PENDING one, and the SCHEDULED ones due within `horizonMs` (the rest are read again as their time
 * nears, so a month of schedules is not loaded on every pass).
 */
export async function pendingOutbox(instanceId: string, workerId: string, horizonMs: number): Promise<Message[]> {
  const sql = sqlClient()
  const rows = await sql`
    select ${sql.unsafe(COLUMNS)} from messages m join instances i on i.id = m.instance_id and i.worker_id = ${workerId} and ${heldByLiveWorker(sql, 'i.worker_id')}
    where m.instance_id = ${instanceId} and m.via_api and m.sent_at is null
      and (m.status in ('PENDING', 'QUEUED_BY_POLICY') or (m.status = 'SCHEDULED' and m.send_at <= now() + make_interval(secs => ${horizonMs / 1000})))
    order by m.created_at, m.id`
  return rows.map(toMessage)
}

/** A scheduled send whose time has come: PENDING, announced as SEND_MESSAGE_UPDATE; false when it was cancelled first. */
export async function markDue(instance: InstanceIdentity, id: string): Promise<boolean> {
  const moved = await sqlClient().begin(async (tx) => {
    const [row] = await tx`
      update messages set status = 'PENDING', status_history = ${appendHistory(tx, 'PENDING')}, updated_at = now()
      where id = ${id} and status = 'SCHEDULED'
      returning remote_jid, remote_jid_alt, wa_id`
    if (!row) return false
    const key = messageKey({ remoteJid: row.remote_jid, remoteJidAlt: row.remote_jid_alt, fromMe: true, waId: row.wa_id })
    await recordEvent(tx, instance, 'SEND_MESSAGE_UPDATE', { key, status: 'PENDING' })
    return true
  })
  if (moved) await notify(CHANNELS.messageChanged, id)
  return moved
}

/** Media fetched from the send's URL: its bytes (or object) and the row's media info together. */
export async function attachFetchedMedia(id: string, media: StoredMedia): Promise<void> {
  await sqlClient().begin(async (tx) => {
    await insertMedia(tx, id, media)
    await tx`update messages set media = ${tx.json(mediaInfo(media) as never)} where id = ${id}`
  })
}

export async function markAccepted(id: string): Promise<void> {
  await sqlClient()`update messages set accepted_at = now() where id = ${id}`
  await notify(CHANNELS.messageChanged, id)
}

/**
 * The worker is about to hand the send to WhatsApp; false when it may not (cancelled, failed). The
 * status condition makes this and `cancelUnstarted` exclusive: both update the same row, so Postgres
 * runs them one after the other and the second sees the first's outcome (a start after a cancel finds
 * the row ERROR; a cancel after a start finds send_started_at set). Never both.
 */
export async function markSendStarted(id: string, also: StartAlso = {}): Promise<boolean> {
  const sql = sqlClient()
  const rows = await sql`
    update messages set send_started_at = coalesce(send_started_at, now())
      ${also.accepted ? sql`, accepted_at = coalesce(accepted_at, now())` : sql``}
      ${typeof also.startsChat === 'boolean' ? sql`, starts_chat = ${also.startsChat}` : sql``}
    where id = ${id} and status in ('PENDING', 'QUEUED_BY_POLICY')
    returning id`
  return rows.length > 0
}

/**
 * What a start may write with it, saving a statement and a commit each: `accepted` for a send checked
 * in the same pass that goes out at once (nobody waits for the accept of an undelayed send: its caller
 * answers on sent or failed), and the send policy's new-chat accounting (`starts_chat`).
 */
export type StartAlso = { accepted?: boolean; startsChat?: boolean | null }

/**
 * WhatsApp took the send: SERVER_ACK with the message as sent, announced as MESSAGES_UPSERT and
 * SEND_MESSAGE_UPDATE. Two round trips (twoTripTransaction): the update, then its chat, its events and
 * the NOTIFY with the COMMIT. A row no longer pending (a retry of a write that did commit) changes
 * nothing, so the events are never recorded twice.
 */
export async function markSent(instance: InstanceIdentity, id: string, sentMessage: Record<string, unknown> | undefined): Promise<void> {
  await twoTripTransaction(
    (tx) => tx`
      update messages set status = 'SERVER_ACK', sent_at = now(), updated_at = now(),
        message = coalesce(${sentMessage ? tx.json(sentMessage as never) : null}::jsonb, message),
        status_history = ${appendHistory(tx, 'SERVER_ACK')}
      where id = ${id} and status in ('PENDING', 'QUEUED_BY_POLICY')
      returning *`,
    (tx, [row]) => {
      if (!row) return null
      const sent = toMessage(row)
      // In this order: the events keep theirs.
      return [
        chatMessageStatement(tx, instance, sent),
        recordEventStatement(tx, instance, 'MESSAGES_UPSERT', upsertPayload(sent, { instanceName: instance.name, status: 'SERVER_ACK', media: sent.media })),
        recordEventStatement(tx, instance, 'SEND_MESSAGE_UPDATE', { key: messageKey(sent), status: 'SERVER_ACK' }),
        notifyStatement(tx, CHANNELS.messageChanged, id),
      ]
    },
  )
}

/** The send cannot go out: ERROR with its reason, announced as SEND_MESSAGE_UPDATE. */
export async function markFailed(instance: InstanceIdentity, id: string, failure: { code: ErrorCode; message: string }): Promise<void> {
  await sqlClient().begin(async (tx) => {
    const [row] = await tx`
      update messages set status = 'ERROR', error_code = ${failure.code}, error_message = ${failure.message}, updated_at = now(),
        status_history = ${appendHistory(tx, 'ERROR')}
      where id = ${id} and status in ('PENDING', 'QUEUED_BY_POLICY')
      returning remote_jid, wa_id`
    if (!row) return
    await Promise.all([
      recordEvent(tx, instance, 'SEND_MESSAGE_UPDATE', { key: { remoteJid: row.remote_jid, fromMe: true, id: row.wa_id }, status: 'ERROR', error: failure }),
      notifyWithin(tx, CHANNELS.messageChanged, id),
    ])
  })
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
    where instance_id = ${instanceId} and wa_id = ${waId} and from_me and status not in ('PENDING', 'ERROR', 'SCHEDULED', 'QUEUED_BY_POLICY', 'CANCELLED')
      and message_timestamp >= extract(epoch from now())::bigint - ${maxAgeSeconds}
    order by created_at desc limit 1`
  if (!row) return undefined
  const [original] = (row.edit_history as EditHistoryEntry[] | null) ?? []
  return original?.message ?? (row.message as Record<string, unknown>)
}

/** Metrics: API sends not yet sent (the outbox's depth, every instance). */
export async function countUnsentOutbox(): Promise<number> {
  const [row] = await sqlClient()`select count(*)::int as n from messages where via_api and sent_at is null and status = 'PENDING'`
  return row.n as number
}
