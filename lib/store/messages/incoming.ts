// What WhatsApp tells the worker: incoming and history messages, receipts, undecryptable ones (state rules: index.ts).
import 'server-only'
import { CHANNELS } from '@/lib/bus/channels'
import { notify } from '@/lib/bus/listener'
import type { MessageStatus } from '@/lib/db/schema/messages'
import { messageKey, upsertPayload } from '@/lib/messages/payloads'
import type { InstanceIdentity } from '@/lib/events/types'
import { recordChatMessage } from '../chats'
import { recordPushName } from '../contacts'
import { recordEvent } from '../events'
import { appendHistory, sqlClient, type Executor } from '../sql'
import { dropHeld, insertHeld, takeDueHeld, type HeldUndecryptable } from '../undecryptable-messages'
import { ROWS_PER_STATEMENT, STATUS_ORDER, type Message } from './row'

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
    await recordChatMessage(tx, instance, message)
    if (!message.fromMe) await recordPushName(tx, instance, senderOf(message))
    await recordEvent(tx, instance, 'MESSAGES_UPSERT', upsertPayload(message, { instanceName: instance.name, status: message.status, media: message.media }))
    return true
  })
}

/** Who sent an incoming message: in a group its participant, else the chat; each by number (when known) and LID. */
function senderOf(message: IncomingMessage): { jid: string; alt: string | null; pushName: string | null } {
  const group = message.remoteJid.endsWith('@g.us')
  const jid = group ? message.participant : message.remoteJid
  const alt = group ? message.participantAlt : message.remoteJidAlt
  return { jid: jid ?? '', alt: alt ?? null, pushName: message.pushName }
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
      await recordChatMessage(tx, instance, held)
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
  // ERROR here is WhatsApp refusing our send (an error ack): it gets a reason, and a send request
  // still waiting for it hears at once (it may arrive before markSent).
  const refused = status === 'ERROR'
  const changed = await sqlClient().begin(async (tx) => {
    const [row] = await tx`
      update messages set status = ${status}, updated_at = now(), status_history = ${appendHistory(tx, status)},
        error_code = case when ${refused} then coalesce(error_code, 'whatsapp_error') else error_code end,
        error_message = case when ${refused} then coalesce(error_message, 'WhatsApp refused the message.') else error_message end
      where instance_id = ${instance.id} and wa_id = ${key.id} and (remote_jid = ${key.remoteJid} or remote_jid_alt = ${key.remoteJid})
        and from_me = ${key.fromMe} and status = any(${allowedFrom})
      returning id, via_api, remote_jid, remote_jid_alt, from_me, wa_id`
    if (!row) return undefined
    const data = { key: messageKey({ remoteJid: row.remote_jid, remoteJidAlt: row.remote_jid_alt, fromMe: row.from_me, waId: row.wa_id }), status }
    await recordEvent(tx, instance, 'MESSAGES_UPDATE', data)
    if (row.via_api) await recordEvent(tx, instance, 'SEND_MESSAGE_UPDATE', data)
    return row.via_api ? (row.id as string) : undefined
  })
  if (refused && changed) await notify(CHANNELS.messageChanged, changed)
}
