// chat/archiveChat, pinChat, muteChat, markChatUnread and deleteChat: one app-state patch each
// through Baileys' chatModify, which WhatsApp stores and hands to the account's other devices.
import type { ChatModification, WAMessage } from '@whiskeysockets/baileys'
import { findChat } from '@/lib/store/chats'
import { chatSettingsPayload, recordChatDeleted, recordChatSettings, type ChatChange } from '@/lib/store/chat-settings'
import type { ChatSettings } from '@/lib/store/chats'
import { pageMessages } from '@/lib/store/messages'
import { CommandError, type CommandHandler } from '@/workers/instances/commands'
import { MUTED_FOREVER } from '@/workers/whatsapp/mute-end'

const DELIVERED = new Set(['SERVER_ACK', 'DELIVERY_ACK', 'READ', 'PLAYED'])

/**
 * The chat's newest message that WhatsApp has, as the patch's message range names it: the phone
 * applies an archive, mark-unread or delete only up to that message (a newer one it has not seen
 * yet would unarchive the chat again).
 */
export async function newestMessage(instanceId: string, jids: string[]): Promise<WAMessage[]> {
  const { messages } = await pageMessages(instanceId, { chatJids: jids, limit: 10 })
  const newest = messages.find((message) => DELIVERED.has(message.status))
  if (!newest) return []
  return [{ key: { remoteJid: newest.remoteJid, id: newest.waId, fromMe: newest.fromMe, participant: newest.participant ?? undefined }, messageTimestamp: newest.messageTimestamp }]
}

function modificationOf(change: ChatChange, lastMessages: WAMessage[]): { modification: ChatModification; settings?: ChatSettings } {
  if ('archive' in change) return { modification: { archive: change.archive, lastMessages }, settings: { archived: change.archive } }
  if ('pin' in change) return { modification: { pin: change.pin }, settings: { pinned: change.pin } }
  if ('mute' in change) {
    return { modification: { mute: change.mute }, settings: { mutedUntil: change.mute === null ? null : change.mute < 0 ? MUTED_FOREVER : new Date(change.mute) } }
  }
  if ('markUnread' in change) return { modification: { markRead: false, lastMessages }, settings: { markedUnread: true } }
  return { modification: { delete: true, lastMessages } }
}

export function chatSettingsHandlers(): Record<string, CommandHandler> {
  return {
    modify_chat: async (context) => {
      const socket = context.session.socket
      if (!socket || !context.session.isOpen) throw new CommandError('instance_not_connected', 'The instance is not connected to WhatsApp.')
      const instance = context.session.instance
      const chat = await findChat(instance.id, String(context.payload.jid))
      if (!chat) throw new CommandError('chat_not_found', 'This instance has no chat with this JID.')
      const change = context.payload.change as ChatChange
      const { modification, settings } = modificationOf(change, await newestMessage(instance.id, [chat.jid, ...(chat.jidAlt ? [chat.jidAlt] : [])]))
      try {
        await socket.chatModify(modification, chat.jid)
      } catch (error) {
        throw new CommandError('whatsapp_error', `WhatsApp did not take the change: ${error instanceof Error ? error.message : String(error)}`)
      }
      // Stored now, so the answer shows it; Baileys' echo of the same patch then finds nothing to change.
      if (!settings) {
        await recordChatDeleted(instance, chat.jid)
        return { jid: chat.jid, jidAlt: chat.jidAlt, deleted: true }
      }
      const changed = await recordChatSettings(instance, chat.jid, settings)
      return chatSettingsPayload(changed ?? (await findChat(instance.id, chat.jid)) ?? chat)
    },
  }
}
