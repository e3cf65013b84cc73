// Baileys events → our events. The only place that knows Baileys' shapes for what happens to messages and groups.
import { getContentType, jidNormalizedUser, normalizeMessageContent, proto, type WAMessage, type WASocket } from '@whiskeysockets/baileys'
import type { MessageStatus } from '@/lib/db/schema'
import { recordEventAlone } from '@/lib/store/events'
import { advanceStatus, insertIncoming, type IncomingMessage } from '@/lib/store/messages'
import type { InstanceSession } from './session'
import { ignoredBySettings, markedReadBySettings } from './inbound-filter'

const STATUS_BY_CODE: Record<number, MessageStatus> = { 0: 'ERROR', 1: 'PENDING', 2: 'SERVER_ACK', 3: 'DELIVERY_ACK', 4: 'READ', 5: 'PLAYED' }

/** Plain JSON of a proto message: bytes as base64, longs as numbers. */
export function messageToJson(message: proto.IMessage): Record<string, unknown> {
  return proto.Message.toObject(proto.Message.fromObject(message), { longs: Number, bytes: String, defaults: false }) as Record<string, unknown>
}

function timestampOf(message: WAMessage): number {
  const value = message.messageTimestamp
  return value === null || value === undefined ? Math.floor(Date.now() / 1000) : Number(value)
}

const MEDIA_TYPES = new Set(['imageMessage', 'videoMessage', 'audioMessage', 'documentMessage', 'stickerMessage'])

async function storeIncoming(session: InstanceSession, message: WAMessage): Promise<void> {
  const content = normalizeMessageContent(message.message)
  const messageType = getContentType(content ?? undefined)
  if (!content || !messageType || !message.key.id || !message.key.remoteJid) return
  if (messageType === 'protocolMessage') return handleProtocolMessage(session, message, content)
  const remoteJid = jidNormalizedUser(message.key.remoteJid)
  const fromMe = Boolean(message.key.fromMe)
  const json = messageToJson(content)
  const incoming: IncomingMessage = {
    remoteJid,
    fromMe,
    waId: message.key.id,
    participant: message.key.participant ?? null,
    pushName: message.pushName ?? null,
    messageType,
    message: json,
    messageTimestamp: timestampOf(message),
    status: fromMe ? 'SERVER_ACK' : 'DELIVERY_ACK',
    media: MEDIA_TYPES.has(messageType) ? { mimetype: (json[messageType] as { mimetype?: string })?.mimetype ?? 'application/octet-stream' } : null,
  }
  if (await insertIncoming(session.instance, incoming)) return
  // A message sent through the API was stored (and announced) when it was sent; Baileys may fold
  // an early receipt into this upsert, which then is the only place its status shows up.
  const folded = typeof message.status === 'number' ? STATUS_BY_CODE[message.status] : undefined
  if (fromMe && folded && folded !== 'PENDING') await advanceStatus(session.instance, { remoteJid, id: incoming.waId, fromMe }, folded)
}

async function handleProtocolMessage(session: InstanceSession, message: WAMessage, content: proto.IMessage): Promise<void> {
  const protocol = content.protocolMessage
  if (protocol?.type !== proto.Message.ProtocolMessage.Type.REVOKE || !protocol.key?.id) return
  const remoteJid = jidNormalizedUser(protocol.key.remoteJid ?? message.key.remoteJid ?? '')
  await recordEventAlone(session.instance, 'MESSAGES_DELETE', { key: { remoteJid, fromMe: Boolean(protocol.key?.fromMe), id: protocol.key.id } })
}

export function attachMessageEvents(socket: WASocket, session: InstanceSession): void {
  const failed = (what: string) => (error: unknown) => session.reportError(what, error)
  socket.ev.on('messages.upsert', ({ messages, type }) => {
    void (async () => {
      for (const message of messages) {
        // The instance's settings (inbound-filter.ts): ignored chats are not stored or announced.
        if (ignoredBySettings(message.key.remoteJid, session.settings)) continue
        await storeIncoming(session, message)
        if (type === 'notify' && markedReadBySettings(message, session.settings)) await socket.readMessages([message.key])
      }
    })().catch(failed('messages.upsert'))
  })
  socket.ev.on('messages.update', (updates) => {
    void (async () => {
      for (const { key, update } of updates) {
        if (typeof update.status !== 'number' || !key.id || !key.remoteJid) continue
        const status = STATUS_BY_CODE[update.status]
        if (status) await advanceStatus(session.instance, { remoteJid: jidNormalizedUser(key.remoteJid), id: key.id, fromMe: Boolean(key.fromMe) }, status)
      }
    })().catch(failed('messages.update'))
  })
  const groupEvent = (type: 'GROUPS_UPSERT' | 'GROUP_UPDATE' | 'GROUP_PARTICIPANTS_UPDATE') => (data: unknown) => {
    recordEventAlone(session.instance, type, Array.isArray(data) ? { groups: data } : data).catch(failed(type))
  }
  socket.ev.on('groups.upsert', groupEvent('GROUPS_UPSERT'))
  socket.ev.on('groups.update', groupEvent('GROUP_UPDATE'))
  socket.ev.on('group-participants.update', groupEvent('GROUP_PARTICIPANTS_UPDATE'))
}
