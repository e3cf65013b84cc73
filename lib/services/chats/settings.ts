import 'server-only'
import type { z } from 'zod'
import { ApiError } from '@/lib/api/errors'
import type { ChatSettingsResponse, DeleteChatResponse } from '@/lib/api/schemas/chat-settings'
import { runCommand } from '@/lib/bus/commands'
import { findChat } from '@/lib/store/chats'
import type { ChatChange } from '@/lib/store/chat-settings'
import { requireOpen } from '@/lib/services/messages/chat'

// chat/archiveChat, pinChat, muteChat, markChatUnread, deleteChat: each is an app-state patch the
// worker hands WhatsApp (workers/messaging/chat-settings-commands.ts), which syncs it to the phone
// and the account's other devices; the chats table and CHATS_UPDATE / CHATS_DELETE follow.
type Instance = { id: string; name: string }
const CHAT_TIMEOUT_MS = 20_000


type SettingsPayload = { jid: string; jidAlt: string | null; unreadCount: number; archived: boolean; pinned: boolean; mutedUntil: string | null; markedUnread: boolean }

async function modifyChat(instance: Instance, chat: string, change: ChatChange): Promise<unknown> {
  const known = await findChat(instance.id, chat)
  if (!known) throw new ApiError('chat_not_found', `The instance "${instance.name}" has no chat with ${chat}.`)
  await requireOpen(instance)
  return runCommand(instance.id, 'modify_chat', { jid: known.jid, change }, CHAT_TIMEOUT_MS)
}

/** Archive, pin, mute or mark unread: the chat's settings after the change. */
export async function changeChatSettings(instance: Instance, chat: string, change: Exclude<ChatChange, { delete: true }>): Promise<z.infer<typeof ChatSettingsResponse>> {
  const result = (await modifyChat(instance, chat, change)) as SettingsPayload
  const mutedUntil = result.mutedUntil && Date.parse(result.mutedUntil) > Date.now() ? result.mutedUntil : null
  return {
    remoteJid: result.jid,
    remoteJidAlt: result.jidAlt,
    unreadCount: result.unreadCount,
    archived: result.archived,
    pinned: result.pinned,
    muted: mutedUntil !== null,
    mutedUntil,
    markedUnread: result.markedUnread,
  }
}

/** Mute for `seconds` (until unmuted without), or unmute. */
export function muteChange(mute: boolean, seconds: number | undefined): { mute: number | null } {
  if (!mute) return { mute: null }
  return { mute: seconds === undefined ? -1 : Date.now() + seconds * 1000 }
}

export async function deleteChat(instance: Instance, chat: string): Promise<z.infer<typeof DeleteChatResponse>> {
  const result = (await modifyChat(instance, chat, { delete: true })) as { jid: string; jidAlt: string | null }
  return { remoteJid: result.jid, remoteJidAlt: result.jidAlt, deleted: true }
}
