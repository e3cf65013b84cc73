// Baileys events → our events. The only place that knows Baileys' shapes for what happens to messages and groups.
import { getContentType, jidNormalizedUser, normalizeMessageContent, proto, type WAMessage, type WASocket } from '@whiskeysockets/baileys'
import { sqlClient } from '@/lib/db'
import { recordEvent } from '@/lib/bus/events'
import type { MessageStatus } from '@/lib/db/schema'
import type { InstanceSession } from './session'

const STATUS_BY_CODE: Record<number, MessageStatus> = { 0: 'ERROR', 1: 'PENDING', 2: 'SERVER_ACK', 3: 'DELIVERY_ACK', 4: 'READ', 5: 'PLAYED' }
export const STATUS_ORDER: MessageStatus[] = ['PENDING', 'SERVER_ACK', 'DELIVERY_ACK', 'READ', 'PLAYED']

/** Plain JSON of a proto message: bytes as base64, longs as numbers. */
export function messageToJson(message: proto.IMessage): Record<string, unknown> {
  return proto.Message.toObject(proto.Message.fromObject(message), { longs: Number, bytes: String, defaults: false }) as Record<string, unknown>
}

function timestampOf(message: WAMessage): number {
  const value = message.messageTimestamp
  return value === null || value === undefined ? Math.floor(Date.now() / 1000) : Number(value)
}

/** The seed's MESSAGES_UPSERT data. */
export function upsertPayload(row: { remoteJid: string; fromMe: boolean; waId: string; participant?: string | null; pushName: string | null; messageType: string; message: unknown; messageTimestamp: number; status?: string }, extra: Record<string, unknown> = {}) {
  return {
    key: { remoteJid: row.remoteJid, fromMe: row.fromMe, id: row.waId, ...(row.participant ? { participant: row.participant } : {}) },
    pushName: row.pushName,
    messageType: row.messageType,
    message: row.message,
    messageTimestamp: row.messageTimestamp,
    ...(row.status ? { status: row.status } : {}),
    ...extra,
  }
}

const MEDIA_TYPES = new Set(['imageMessage', 'videoMessage', 'audioMessage', 'documentMessage', 'stickerMessage'])

async function storeIncoming(session: InstanceSession, message: WAMessage): Promise<void> {
  const content = normalizeMessageContent(message.message)
  const messageType = getContentType(content ?? undefined)
  if (!content || !messageType || !message.key.id || !message.key.remoteJid) return
  if (messageType === 'protocolMessage') return handleProtocolMessage(session, message, content)
  if (message.key.remoteJid === 'status@broadcast') return
  const remoteJid = jidNormalizedUser(message.key.remoteJid)
  const fromMe = Boolean(message.key.fromMe)
  const json = messageToJson(content)
  const row = {
    remoteJid,
    fromMe,
    waId: message.key.id,
    participant: message.key.participant ?? null,
    pushName: message.pushName ?? null,
    messageType,
    message: json,
    messageTimestamp: timestampOf(message),
    status: fromMe ? 'SERVER_ACK' : 'DELIVERY_ACK',
  }
  const media = MEDIA_TYPES.has(messageType) ? { mimetype: (json[messageType] as { mimetype?: string })?.mimetype ?? 'application/octet-stream' } : null
  const sql = sqlClient()
  let pendingStatus: MessageStatus | undefined
  await sql.begin(async (tx) => {
    const [inserted] = await tx`
      insert into messages (instance_id, user_id, wa_id, remote_jid, from_me, participant, push_name, message_type, message, message_timestamp, status, status_history, media)
      values (${session.instance.id}, ${session.instance.userId}, ${row.waId}, ${row.remoteJid}, ${row.fromMe}, ${row.participant}, ${row.pushName},
              ${row.messageType}, ${tx.json(json as never)}, ${row.messageTimestamp}, ${row.status},
              ${tx.json([{ status: row.status, at: new Date().toISOString() }] as never)}, ${media ? tx.json(media as never) : null})
      on conflict (instance_id, remote_jid, wa_id, from_me) do nothing
      returning id`
    // A message sent through the API was stored (and announced) when it was sent; Baileys may fold
    // an early receipt into this upsert, which then is the only place its status shows up.
    if (!inserted) {
      const folded = typeof message.status === 'number' ? STATUS_BY_CODE[message.status] : undefined
      if (fromMe && folded && folded !== 'PENDING') pendingStatus = folded
      return
    }
    const extra = media ? { media: { mimetype: media.mimetype, url: `/api/v1/instance/${session.instance.name}/messages/${row.waId}/media` } } : {}
    await recordEvent(tx, session.instance, 'MESSAGES_UPSERT', upsertPayload(row, extra))
  })
  if (pendingStatus) await advanceStatus(session, { remoteJid, id: row.waId, fromMe }, pendingStatus)
}

async function handleProtocolMessage(session: InstanceSession, message: WAMessage, content: proto.IMessage): Promise<void> {
  const protocol = content.protocolMessage
  if (protocol?.type !== proto.Message.ProtocolMessage.Type.REVOKE || !protocol.key?.id) return
  const remoteJid = jidNormalizedUser(protocol.key.remoteJid ?? message.key.remoteJid ?? '')
  await sqlClient().begin(async (tx) => {
    await recordEvent(tx, session.instance, 'MESSAGES_DELETE', {
      key: { remoteJid, fromMe: Boolean(protocol.key?.fromMe), id: protocol.key?.id },
    })
  })
}

/** Moves a stored message forward to `status` (never backwards), recording MESSAGES_UPDATE and, for API sends, SEND_MESSAGE_UPDATE. */
export async function advanceStatus(session: InstanceSession, key: { remoteJid: string; id: string; fromMe: boolean }, status: MessageStatus): Promise<void> {
  const allowedFrom = status === 'ERROR' ? ['PENDING', 'SERVER_ACK'] : STATUS_ORDER.slice(0, STATUS_ORDER.indexOf(status))
  const sql = sqlClient()
  await sql.begin(async (tx) => {
    const [row] = await tx`
      update messages
      set status = ${status}, updated_at = now(),
          status_history = status_history || ${tx.json([{ status, at: new Date().toISOString() }] as never)}
      where instance_id = ${session.instance.id} and wa_id = ${key.id} and remote_jid = ${jidNormalizedUser(key.remoteJid)}
        and from_me = ${key.fromMe} and status = any(${allowedFrom})
      returning via_api`
    if (!row) return
    const data = { key: { remoteJid: jidNormalizedUser(key.remoteJid), fromMe: key.fromMe, id: key.id }, status }
    await recordEvent(tx, session.instance, 'MESSAGES_UPDATE', data)
    if (row.via_api) await recordEvent(tx, session.instance, 'SEND_MESSAGE_UPDATE', data)
  })
}

export function attachMessageEvents(socket: WASocket, session: InstanceSession): void {
  const failed = (what: string) => (error: unknown) => session.reportError(what, error)
  socket.ev.on('messages.upsert', ({ messages }) => {
    void (async () => {
      for (const message of messages) await storeIncoming(session, message)
    })().catch(failed('messages.upsert'))
  })
  socket.ev.on('messages.update', (updates) => {
    void (async () => {
      for (const { key, update } of updates) {
        if (typeof update.status !== 'number' || !key.id || !key.remoteJid) continue
        const status = STATUS_BY_CODE[update.status]
        if (status) await advanceStatus(session, { remoteJid: key.remoteJid, id: key.id, fromMe: Boolean(key.fromMe) }, status)
      }
    })().catch(failed('messages.update'))
  })
  const groupEvent = (type: 'GROUPS_UPSERT' | 'GROUP_UPDATE' | 'GROUP_PARTICIPANTS_UPDATE') => (data: unknown) => {
    void sqlClient()
      .begin((tx) => recordEvent(tx, session.instance, type, Array.isArray(data) ? { groups: data } : data))
      .catch(failed(type))
  }
  socket.ev.on('groups.upsert', groupEvent('GROUPS_UPSERT'))
  socket.ev.on('groups.update', groupEvent('GROUP_UPDATE'))
  socket.ev.on('group-participants.update', groupEvent('GROUP_PARTICIPANTS_UPDATE'))
}
