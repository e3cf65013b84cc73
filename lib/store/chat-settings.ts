import 'server-only'
import type { InstanceIdentity } from '@/lib/events/types'
import { applyChatSettings, deleteChat, type Chat, type ChatSettings } from './chats'
import { recordEvent } from './events'
import { sqlClient } from './sql'

/**
 * A chat action the web tier asks the worker for (`modify_chat`); `mute` is WhatsApp's
 * muteEndTimestamp: the end in ms since the epoch, -1 for no end, null to unmute.
 */
export type ChatChange = { archive: boolean } | { pin: boolean } | { mute: number | null } | { markUnread: true } | { delete: true }

/** A chat's settings as CHATS_UPDATE carries them (the same names as CHATS_SET). */
export function chatSettingsPayload(chat: Chat) {
  return {
    jid: chat.jid,
    jidAlt: chat.jidAlt,
    unreadCount: chat.unreadCount,
    archived: chat.archived,
    pinned: chat.pinned,
    mutedUntil: chat.mutedUntil?.toISOString() ?? null,
    markedUnread: chat.markedUnread,
  }
}

/**
 * A chat setting WhatsApp synced (this instance's own change, or one made on the phone or another
 * device), stored and announced as CHATS_UPDATE in one transaction. Applied twice (the API's command
 * and Baileys' echo of the same patch), it is announced once. Returns the chat as it is now, or
 * undefined when nothing changed.
 */
export async function recordChatSettings(instance: InstanceIdentity, jid: string, settings: ChatSettings): Promise<Chat | undefined> {
  return sqlClient().begin(async (tx) => {
    const chat = await applyChatSettings(tx, instance, jid, settings)
    if (chat) await recordEvent(tx, instance, 'CHATS_UPDATE', { chats: [chatSettingsPayload(chat)] })
    return chat
  })
}

/** The chat was deleted (here or on the phone): its row goes, and CHATS_DELETE says so, once. */
export async function recordChatDeleted(instance: InstanceIdentity, jid: string): Promise<Chat | undefined> {
  return sqlClient().begin(async (tx) => {
    const chat = await deleteChat(tx, instance, jid)
    if (chat) await recordEvent(tx, instance, 'CHATS_DELETE', { chats: [{ jid: chat.jid, jidAlt: chat.jidAlt }] })
    return chat
  })
}
