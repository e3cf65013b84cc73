// Baileys events → our events. The only place that knows Baileys' shapes for what happens to messages and groups.
import { getContentType, normalizeMessageContent, proto, type WAMessage, type WASocket } from '@whiskeysockets/baileys'
import type { MessageStatus } from '@/lib/db/schema'
import { advanceStatus, insertIncoming, type IncomingMessage } from '@/lib/store/messages'
import type { InstanceSession } from './session'
import { ignoredBySettings, markedReadBySettings } from './inbound-filter'
import type { ReceiptUpdate, StoreBeforeAck } from './store-before-ack'
import { addressKey, type AddressedKey } from './addressing'
import { handleEditOrRevoke } from './edits'
import { handlePollVote } from './polls'
import { holdUndecryptableStub, isUndecryptable } from './undecryptable'
import { attachGroupEvents } from './groups'
import { attachChatSettingsEvents } from './chat-settings'

export const STATUS_BY_CODE: Record<number, MessageStatus> = { 0: 'ERROR', 1: 'PENDING', 2: 'SERVER_ACK', 3: 'DELIVERY_ACK', 4: 'READ', 5: 'PLAYED' }

/** Plain JSON of a proto message: bytes as base64, longs as numbers. */
export function messageToJson(message: proto.IMessage): Record<string, unknown> {
  return proto.Message.toObject(proto.Message.fromObject(message), { longs: Number, bytes: String, defaults: false }) as Record<string, unknown>
}

function timestampOf(message: WAMessage): number {
  const value = message.messageTimestamp
  return value === null || value === undefined ? Math.floor(Date.now() / 1000) : Number(value)
}

const MEDIA_TYPES = new Set(['imageMessage', 'videoMessage', 'audioMessage', 'documentMessage', 'stickerMessage'])

/** A decrypted message in our shape, its chat (and sender) already named as our payloads name them. */
export function incomingOf(address: AddressedKey, message: WAMessage, content: proto.IMessage, messageType: keyof proto.IMessage, status?: MessageStatus): IncomingMessage {
  const fromMe = Boolean(message.key.fromMe)
  const json = messageToJson(content)
  return {
    ...address,
    fromMe,
    waId: message.key.id!,
    pushName: message.pushName ?? null,
    messageType,
    message: json,
    messageTimestamp: timestampOf(message),
    status: status ?? (fromMe ? 'SERVER_ACK' : 'DELIVERY_ACK'),
    media: MEDIA_TYPES.has(messageType) ? { mimetype: (json[messageType] as { mimetype?: string })?.mimetype ?? 'application/octet-stream' } : null,
  }
}

/** Stores one message Baileys decrypted (nothing when it was stored already): the work behind StoreBeforeAck's `message`. */
export async function storeIncoming(session: InstanceSession, message: WAMessage): Promise<void> {
  if (isUndecryptable(message)) return holdUndecryptableStub(session, message)
  const content = normalizeMessageContent(message.message)
  const messageType = getContentType(content ?? undefined)
  if (!content || !messageType || !message.key.id || !message.key.remoteJid) return
  // The instance's settings (inbound-filter.ts): ignored chats are neither stored nor announced.
  if (ignoredBySettings(message.key.remoteJid, session.settings)) return
  if (messageType === 'protocolMessage') {
    await handleEditOrRevoke(session.instance, session.socket, message, content)
    return
  }
  if (messageType === 'pollUpdateMessage') {
    await handlePollVote(session.instance, session.socket, message, content)
    return
  }
  const incoming = incomingOf(await addressKey(session.socket, message.key), message, content, messageType)
  const { remoteJid, fromMe } = incoming
  // A message sent through the API was stored (and announced) when it was sent; Baileys may fold
  // an early receipt into this upsert, which then is the only place its status shows up.
  const folded = typeof message.status === 'number' ? STATUS_BY_CODE[message.status] : undefined
  const foldedReceipt = fromMe && folded && folded !== 'PENDING' ? folded : undefined
  // The outbox's own send, nothing folded in: the insert would only meet its row (./own-sends.ts).
  if (fromMe && !foldedReceipt && session.ownSends.take(incoming.waId, remoteJid)) return
  if (await insertIncoming(session.instance, incoming)) return
  if (foldedReceipt) await advanceStatus(session.instance, { remoteJid, id: incoming.waId, fromMe }, foldedReceipt)
}

/** Applies one receipt's status to the message it names: the work behind StoreBeforeAck's `receipt`. */
export async function applyReceipt(session: InstanceSession, { key, status }: ReceiptUpdate): Promise<void> {
  const ours = STATUS_BY_CODE[status]
  if (ours) await advanceStatus(session.instance, { ...key, remoteJid: (await addressKey(session.socket, key)).remoteJid }, ours)
}

/**
 * What Baileys emits after it acknowledged: messages and receipts StoreBeforeAck did not store first
 * (an API send's own upsert, unencrypted stanzas, error acks), each retried by the session.
 */
export function attachMessageEvents(socket: WASocket, session: InstanceSession, gate: StoreBeforeAck): void {
  const failed = (what: string) => (error: unknown) => session.reportError(what, error)
  socket.ev.on('messages.upsert', ({ messages, type }) => {
    void (async () => {
      for (const message of messages) {
        // An error ack that came while Baileys still buffered our own send's upsert is merged into it
        // (status ERROR) instead of arriving as messages.update: the same auto-pause signal.
        if (message.key.fromMe && message.status === 0) await session.health.sendRefused(message.key.id ?? '', message.messageStubParameters?.[0]).catch(failed('sendRefused'))
        // Stored before Baileys acknowledged it (store-before-ack.ts), or stored now.
        if (!gate.takeStored(message.key)) await session.durably('store an incoming message', () => storeIncoming(session, message))
        if (type === 'notify' && markedReadBySettings(message, session.settings)) await socket.readMessages([message.key])
      }
    })().catch(failed('messages.upsert'))
  })
  socket.ev.on('messages.update', (updates) => {
    void (async () => {
      for (const { key, update } of updates) {
        if (typeof update.status !== 'number' || !key.id || !key.remoteJid) continue
        if (gate.takeApplied(key.id, update.status)) continue
        // An error ack from WhatsApp for our own send (Baileys' handleBadAck): an auto-pause signal.
        if (update.status === 0 && key.fromMe) await session.health.sendRefused(key.id, update.messageStubParameters?.[0]).catch(failed('sendRefused'))
        const receipt = { key: { remoteJid: key.remoteJid, id: key.id, fromMe: Boolean(key.fromMe) }, status: update.status }
        await session.durably('apply a status update', () => applyReceipt(session, receipt))
      }
    })().catch(failed('messages.update'))
  })
  attachGroupEvents(socket, session.instance, (what, write) => session.durably(what, write), failed)
  attachChatSettingsEvents(socket, session.instance, (what, write) => session.durably(what, write), failed)
}
