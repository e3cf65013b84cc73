// History sync: what a phone pushes to a newly linked companion at its first login (README.md,
// "History sync"). Each push is a `proto.HistorySync`, zlib-deflated, either inline in the
// notification (INITIAL_BOOTSTRAP and PUSH_NAME, which Baileys asks for with
// `inlineInitialPayloadInE2EeMsg` at pairing) or encrypted as `md-msg-hist` media on the media host
// (RECENT and FULL chunks), announced by a `protocolMessage` HISTORY_SYNC_NOTIFICATION from the own
// phone. Baileys' side: node_modules/@whiskeysockets/baileys/lib/Utils/history.js
// (`downloadAndProcessHistorySyncNotification`, `processHistoryMessage`) and
// node_modules/@whiskeysockets/baileys/lib/Utils/process-message.js.
import { deflateSync } from 'node:zlib'
import { proto } from '@whiskeysockets/baileys'
import { randomId } from './curve.js'
import type { Hub } from './hub.js'
import { chatJidOf, lidJid, pnJid } from './addressing.js'
import { sendFromPhone } from './outbound.js'
import type { Account, Companion } from './state.js'

const DAY_SECONDS = 86_400
/** Messages per RECENT or FULL blob: enough to make a seeded history of a few hundred messages come in chunks. */
const DEFAULT_CHUNK_MESSAGES = 300

export interface SeededHistoryMessage {
  id: string
  fromMe: boolean
  text: string
  /** Unix seconds. */
  timestamp: number
}

export interface SeededChat {
  /** The other party's number (an account of the world). */
  with: string
  /** The name the phone's user saved for the contact (Conversation.name). */
  savedName?: string
  unreadCount?: number
  archived?: boolean
  /** Muted until this time (ms since the epoch), or -1: muted with no end. */
  mutedUntil?: number
  /** Oldest first. */
  messages: SeededHistoryMessage[]
}

export interface SeededHistory {
  chats: SeededChat[]
  /** Messages newer than this many days go in INITIAL_BOOTSTRAP / RECENT; older ones only in FULL. */
  recentDays: number
  /** `requested`: FULL chunks only when the companion asked for them at pairing (`requireFullSync`). */
  full: 'requested' | 'always' | 'never'
  chunkMessages: number
}

/** What the phone pushed, for tests to compare with what the app stored. */
export interface HistoryPush {
  deviceId: number
  syncType: keyof typeof proto.HistorySync.HistorySyncType
  chunkOrder: number
  progress: number
  inline: boolean
  directPath?: string
  conversations: number
  messages: number
  pushnames: number
  at: number
}

export class HistoryInputError extends Error {}

/** Validates a control-API body into a seeded history (accounts for the chat partners are created, named by `pushName`). */
export function seedHistory(hub: Hub, account: Account, body: Record<string, unknown>): SeededHistory {
  const rawChats = body.chats
  if (!Array.isArray(rawChats)) throw new HistoryInputError('chats must be an array')
  const now = Math.floor(Date.now() / 1000)
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null
  const chats = rawChats.map((raw: unknown, index): SeededChat => {
    if (!isObject(raw)) throw new HistoryInputError(`chats[${index}] must be an object`)
    const partner = hub.world.ensureAccount(String(raw.with ?? ''), typeof raw.pushName === 'string' ? raw.pushName : undefined)
    if (!partner || partner === account) throw new HistoryInputError(`chats[${index}].with must be another number on WhatsApp`)
    const messages = Array.isArray(raw.messages) ? raw.messages : []
    if (!messages.every(isObject)) throw new HistoryInputError(`chats[${index}].messages must be objects`)
    const mutedUntil = raw.mutedUntil
    if (mutedUntil !== undefined && (typeof mutedUntil !== 'number' || !Number.isInteger(mutedUntil) || (mutedUntil < 0 && mutedUntil !== -1))) {
      throw new HistoryInputError(`chats[${index}].mutedUntil must be ms since the epoch or -1 (no end)`)
    }
    return {
      with: partner.phone,
      savedName: typeof raw.savedName === 'string' ? raw.savedName : undefined,
      unreadCount: typeof raw.unreadCount === 'number' ? raw.unreadCount : undefined,
      archived: raw.archived === true,
      mutedUntil,
      messages: messages
        .map((m: Record<string, unknown>, i) => ({
          id: typeof m.id === 'string' ? m.id : randomId(10),
          fromMe: m.fromMe === true,
          text: String(m.text ?? ''),
          timestamp: typeof m.timestamp === 'number' ? m.timestamp : now - (messages.length - i) * 60
        }))
        .sort((a, b) => a.timestamp - b.timestamp)
    }
  })
  const full = body.full ?? 'requested'
  if (full !== 'requested' && full !== 'always' && full !== 'never') throw new HistoryInputError('full must be requested, always or never')
  return {
    chats,
    recentDays: typeof body.recentDays === 'number' ? body.recentDays : 90,
    full,
    chunkMessages: typeof body.chunkMessages === 'number' && body.chunkMessages > 0 ? body.chunkMessages : DEFAULT_CHUNK_MESSAGES
  }
}

type ChatSlice = { chat: SeededChat; messages: SeededHistoryMessage[] }

/**
 * Conversation.muteEndTime (a uint64): the end in seconds, and for "muted with no end" every bit set,
 * the -1 of the app-state mute action read unsigned (clients built on whatsmeow test for ^uint64(0)).
 */
function muteEndTimeOf(mutedUntil: number | undefined): proto.IConversation['muteEndTime'] {
  if (mutedUntil === undefined) return undefined
  // protobufjs writes a uint64 given as a decimal string; 2^64 - 1 is past a JS number's precision.
  return mutedUntil === -1 ? ('18446744073709551615' as unknown as number) : Math.floor(mutedUntil / 1000)
}

function conversationOf(hub: Hub, owner: Account, slice: ChatSlice): proto.IConversation {
  const partner = hub.world.account(slice.chat.with)!
  const chatJid = chatJidOf(partner)
  const newest = slice.chat.messages.at(-1)
  return {
    id: chatJid,
    name: slice.chat.savedName,
    displayName: slice.chat.savedName,
    pnJid: pnJid(partner),
    lidJid: lidJid(partner),
    unreadCount: slice.chat.unreadCount ?? 0,
    archived: slice.chat.archived || undefined,
    muteEndTime: muteEndTimeOf(slice.chat.mutedUntil),
    conversationTimestamp: newest?.timestamp,
    // Newest first, as the phone lists them.
    messages: [...slice.messages].reverse().map((m, i) => ({
      msgOrderId: slice.messages.length - i,
      message: {
        key: { remoteJid: chatJid, fromMe: m.fromMe, id: m.id },
        message: { conversation: m.text },
        messageTimestamp: m.timestamp,
        pushName: m.fromMe ? owner.name : partner.name,
        status: m.fromMe ? proto.WebMessageInfo.Status.READ : proto.WebMessageInfo.Status.DELIVERY_ACK
      }
    }))
  }
}

/** Splits chats into chunks of about `limit` messages; a chat larger than that spans several chunks, as on the phone. */
function chunk(slices: ChatSlice[], limit: number): ChatSlice[][] {
  const chunks: ChatSlice[][] = []
  let current: ChatSlice[] = []
  let count = 0
  for (const slice of slices) {
    for (let start = 0; start < slice.messages.length; ) {
      const take = Math.min(limit - count, slice.messages.length - start)
      current.push({ chat: slice.chat, messages: slice.messages.slice(start, start + take) })
      start += take
      count += take
      if (count >= limit) {
        chunks.push(current)
        current = []
        count = 0
      }
    }
  }
  if (current.length) chunks.push(current)
  return chunks
}

/** Whether the companion gets FULL chunks: what it asked for at pairing, unless the seed overrides it. */
function sendsFull(history: SeededHistory, companion: Companion): boolean {
  return history.full === 'always' || (history.full === 'requested' && companion.requireFullSync === true)
}

/**
 * The first login of a newly paired companion: INITIAL_BOOTSTRAP (every chat with its newest recent
 * message, inline), RECENT chunks (the other recent messages, on the media host), PUSH_NAME (inline),
 * then FULL chunks (older messages) when they were asked for. With nothing seeded the bootstrap is
 * empty: WhatsApp sends it to every new companion, and Baileys leaves its initial-sync wait on it.
 */
export async function pushHistory(hub: Hub, account: Account, companion: Companion): Promise<void> {
  const history = account.history ?? { chats: [], recentDays: 90, full: 'requested', chunkMessages: DEFAULT_CHUNK_MESSAGES }
  const cutoff = Math.floor(Date.now() / 1000) - history.recentDays * DAY_SECONDS
  const recent = history.chats.map((chat) => ({ chat, messages: chat.messages.filter((m) => m.timestamp >= cutoff) }))
  const older = history.chats.map((chat) => ({ chat, messages: chat.messages.filter((m) => m.timestamp < cutoff) })).filter((s) => s.messages.length)
  const bootstrap = recent.map((s) => ({ chat: s.chat, messages: s.messages.slice(-1) }))
  const rest = recent.map((s) => ({ chat: s.chat, messages: s.messages.slice(0, -1) })).filter((s) => s.messages.length)
  const pushnames = history.chats.map((c) => hub.world.account(c.with)!).map((a) => ({ id: pnJid(a), pushname: a.name }))
  const mappings = history.chats.map((c) => hub.world.account(c.with)!).map((a) => ({ pnJid: pnJid(a), lidJid: lidJid(a) }))

  const send = (syncType: proto.HistorySync.HistorySyncType, chunkOrder: number, progress: number, content: Omit<proto.IHistorySync, 'syncType'>, inline: boolean) =>
    pushOne(hub, account, companion, { syncType, chunkOrder, progress, ...content }, inline)

  const recentChunks = chunk(rest, history.chunkMessages)
  const conversations = (slices: ChatSlice[]) => slices.map((s) => conversationOf(hub, account, s))
  await send(proto.HistorySync.HistorySyncType.INITIAL_BOOTSTRAP, 0, recentChunks.length ? 10 : 100, { conversations: conversations(bootstrap), phoneNumberToLidMappings: mappings }, true)
  for (const [i, slices] of recentChunks.entries()) {
    await send(proto.HistorySync.HistorySyncType.RECENT, i + 1, Math.round(((i + 1) / recentChunks.length) * 100), { conversations: conversations(slices) }, false)
  }
  await send(proto.HistorySync.HistorySyncType.PUSH_NAME, 0, 100, { pushnames }, true)
  if (!sendsFull(history, companion)) return
  const fullChunks = chunk(older, history.chunkMessages)
  for (const [i, slices] of fullChunks.entries()) {
    await send(proto.HistorySync.HistorySyncType.FULL, i + 1, Math.round(((i + 1) / fullChunks.length) * 100), { conversations: conversations(slices) }, false)
  }
}

async function pushOne(hub: Hub, account: Account, companion: Companion, sync: proto.IHistorySync, inline: boolean): Promise<void> {
  const compressed = deflateSync(proto.HistorySync.encode(sync).finish())
  const notification: proto.Message.IHistorySyncNotification = { syncType: sync.syncType as number, chunkOrder: sync.chunkOrder, progress: sync.progress }
  let directPath: string | undefined
  if (inline || !hub.media) {
    notification.initialHistBootstrapInlinePayload = compressed
  } else {
    const stored = hub.media.storeOutgoing(compressed, 'md-msg-hist')
    directPath = stored.directPath
    Object.assign(notification, {
      directPath: stored.directPath,
      mediaKey: stored.mediaKey,
      fileSha256: stored.fileSha256,
      fileEncSha256: stored.fileEncSha256,
      fileLength: stored.fileLength
    })
  }
  const messages = (sync.conversations ?? []).reduce((n, c) => n + (c.messages?.length ?? 0), 0)
  const record: HistoryPush = {
    deviceId: companion.deviceId,
    syncType: proto.HistorySync.HistorySyncType[sync.syncType as number] as HistoryPush['syncType'],
    chunkOrder: sync.chunkOrder ?? 0,
    progress: sync.progress ?? 0,
    inline: !directPath,
    directPath,
    conversations: sync.conversations?.length ?? 0,
    messages,
    pushnames: sync.pushnames?.length ?? 0,
    at: Date.now()
  }
  ;(account.historyPushes ??= []).push(record)
  hub.world.changed()
  await sendFromPhone(hub, account, account, {
    protocolMessage: { type: proto.Message.ProtocolMessage.Type.HISTORY_SYNC_NOTIFICATION, historySyncNotification: notification }
  }, { category: 'peer', onlyDevice: companion.deviceId })
}
