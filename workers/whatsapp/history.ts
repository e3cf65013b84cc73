// WhatsApp's history sync → our store. After pairing the phone sends the account's recent chats
// (and, with the syncFullHistory setting, older ones) in chunks; Baileys downloads and decodes each
// and emits `messaging-history.set` (node_modules/@whiskeysockets/baileys/lib/Utils/history.js
// `processHistoryMessage`, emitted from Utils/process-message.js after it stored the chunk's LID
// mappings). Each event is stored in one transaction with its MESSAGES_SET / CHATS_SET /
// CONTACTS_SET events (lib/store/history-sync.ts); the messages are never announced as new.
import {
  getContentType,
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  isLidUser,
  isPnUser,
  normalizeMessageContent,
  proto,
  type BaileysEventMap,
  type Chat as BaileysChat,
  type Contact as BaileysContact,
  type WASocket,
} from '@whiskeysockets/baileys'
import type { Chat } from '@/lib/store/chats'
import type { ContactChange } from '@/lib/store/contacts'
import { recordHistorySync } from '@/lib/store/history-sync'
import type { IncomingMessage } from '@/lib/store/messages'
import type { InstanceSession } from './session'
import { addressKey, identityOf, type Identity } from './addressing'
import { incomingOf, STATUS_BY_CODE } from './events'
import { ignoredBySettings } from './inbound-filter'
import { mutedUntilOf } from './mute-end'

type HistorySet = BaileysEventMap['messaging-history.set']

/** Which history-sync chunks Baileys downloads: all but FULL, and FULL too with the syncFullHistory setting. */
export function historySyncFilter(session: InstanceSession) {
  return ({ syncType }: proto.Message.IHistorySyncNotification) => syncType !== proto.HistorySync.HistorySyncType.FULL || session.settings.syncFullHistory
}

/** Stores each `messaging-history.set` in turn (a chunk that fails to store is retried by `durably`, then pauses the session). */
export function attachHistoryEvents(socket: WASocket, session: InstanceSession): void {
  let queue: Promise<void> = Promise.resolve()
  socket.ev.on('messaging-history.set', (set) => {
    queue = queue
      .then(() => session.durably('store a history sync', () => storeHistorySet(session, set)))
      .catch((error) => session.reportError('messaging-history.set', error))
  })
}

/** A user or group JID the settings keep (not a status broadcast, channel, or an ignored group). */
const kept = (session: InstanceSession, jid: string | null | undefined): jid is string =>
  Boolean(jid) && !isJidBroadcast(jid!) && !ignoredBySettings(jid, session.settings)

async function storeHistorySet(session: InstanceSession, set: HistorySet): Promise<void> {
  const identities = new Map<string, Promise<Identity>>()
  const identity = (jid: string, alt?: string | null) => {
    const known = identities.get(jid) ?? identityOf(session.socket, jid, alt)
    identities.set(jid, known)
    return known
  }
  const syncType = set.syncType === undefined || set.syncType === null ? 'UNKNOWN' : (proto.HistorySync.HistorySyncType[set.syncType] ?? String(set.syncType))
  const result = await recordHistorySync(session.instance, {
    syncType,
    progress: typeof set.progress === 'number' ? set.progress : null,
    messages: await messagesOf(session, set.messages),
    chats: await chatsOf(session, set.chats, identity),
    contacts: await contactsOf(session, set.contacts, identity),
  })
  session.log.info({ syncType, progress: set.progress, ...result }, 'history sync stored')
}

async function messagesOf(session: InstanceSession, messages: HistorySet['messages']): Promise<IncomingMessage[]> {
  const out: IncomingMessage[] = []
  for (const message of messages) {
    const content = normalizeMessageContent(message.message)
    const messageType = getContentType(content ?? undefined)
    if (!content || !messageType || !message.key.id || !kept(session, message.key.remoteJid)) continue
    // Edits, deletions and other protocol messages of the past are not messages of their own.
    if (messageType === 'protocolMessage' || messageType === 'senderKeyDistributionMessage') continue
    const status = typeof message.status === 'number' ? STATUS_BY_CODE[message.status] : undefined
    out.push(incomingOf(await addressKey(session.socket, message.key), message, content, messageType, status === 'PENDING' || status === 'ERROR' ? undefined : status))
  }
  return out
}

const seconds = (value: unknown): number | null => (value === null || value === undefined || Number(value) === 0 ? null : Number(value))

async function chatsOf(session: InstanceSession, chats: BaileysChat[], identity: (jid: string, alt?: string | null) => Promise<Identity>): Promise<Chat[]> {
  const out: Chat[] = []
  for (const chat of chats) {
    if (!kept(session, chat.id) || isJidNewsletter(chat.id)) continue
    const { jid, alt } = isJidGroup(chat.id) ? { jid: chat.id, alt: null } : await identity(chat.id, chat.pnJid ?? chat.lidJid)
    out.push({
      jid,
      jidAlt: alt,
      name: chat.displayName || chat.name || null,
      unreadCount: chat.unreadCount ?? 0,
      archived: Boolean(chat.archived),
      pinned: Boolean(seconds(chat.pinned)),
      mutedUntil: mutedUntilOf(chat.muteEndTime),
      markedUnread: Boolean(chat.markedAsUnread),
      lastMessageTimestamp: seconds(chat.conversationTimestamp) ?? seconds(chat.lastMsgTimestamp),
    })
  }
  return out
}

async function contactsOf(session: InstanceSession, contacts: BaileysContact[], identity: (jid: string, alt?: string | null) => Promise<Identity>): Promise<ContactChange[]> {
  const out: ContactChange[] = []
  for (const contact of contacts) {
    if (!contact.id || !(isPnUser(contact.id) || isLidUser(contact.id))) continue
    const { jid, alt } = await identity(contact.id, contact.phoneNumber ?? contact.lid)
    const pn = isPnUser(jid) ? jid : null
    out.push({
      jid,
      lid: isLidUser(jid) ? jid : alt,
      phoneNumber: pn ? pn.split('@')[0] : null,
      pushName: contact.notify || null,
      savedName: contact.name || null,
      verifiedName: contact.verifiedName || null,
    })
  }
  return out
}
