import { z } from 'zod'
import { ChatItem, ChatJid } from './chats'

/**
 * Which chat a chat action is for: `chat` (Evolution API v2's field), or, as Evolution also takes
 * it, the chat of `lastMessage.key.remoteJid`. The instance must have the chat (404 chat_not_found).
 */
const ChatTarget = {
  chat: ChatJid.optional().describe('The chat: a JID (<number>@s.whatsapp.net, <lid>@lid, <id>@g.us) or a phone number'),
  lastMessage: z
    .object({ key: z.object({ remoteJid: ChatJid, id: z.string().max(128).optional(), fromMe: z.boolean().optional() }) })
    .optional()
    .describe('Instead of chat (as Evolution API v2 takes it): a message of the chat, whose key.remoteJid names it'),
}

function chatAction<T extends z.ZodRawShape>(shape: T) {
  return z
    .object({ ...ChatTarget, ...shape })
    .refine((body: { chat?: unknown; lastMessage?: unknown }) => body.chat !== undefined || body.lastMessage !== undefined, { message: 'chat is required: the chat’s JID or phone number', path: ['chat'] })
}

/** The chat a validated body names. */
export const chatOf = (body: { chat?: string; lastMessage?: { key: { remoteJid: string } } }): string => (body.chat ?? body.lastMessage?.key.remoteJid)!

export const ArchiveChatBody = chatAction({
  archive: z.boolean({ error: 'archive is true (archive the chat) or false (unarchive it)' }).describe('true: archive; false: unarchive'),
})

export const PinChatBody = chatAction({
  pin: z.boolean({ error: 'pin is true (pin the chat) or false (unpin it)' }).describe('true: pin to the top; false: unpin'),
})

export const MuteChatBody = chatAction({
  mute: z.boolean({ error: 'mute is true (mute the chat) or false (unmute it)' }).describe('true: mute; false: unmute'),
  duration: z
    .number({ error: 'duration is a number of seconds' })
    .int('duration is a whole number of seconds')
    .min(60, 'duration is at least 60 seconds')
    .max(31_536_000, 'duration is at most 31536000 seconds (a year)')
    .optional()
    .describe('With mute: true, for how many seconds (WhatsApp offers 8 hours = 28800 and a week = 604800); without it, until unmuted'),
}).refine((body) => body.mute || body.duration === undefined, { message: 'duration goes only with mute: true', path: ['duration'] })

export const MarkChatUnreadBody = chatAction({})

export const DeleteChatBody = chatAction({})

/** The chat's settings after an action: the same fields as chat/findChats shows. */
export const ChatSettingsResponse = ChatItem.pick({ remoteJid: true, remoteJidAlt: true, unreadCount: true, archived: true, pinned: true, muted: true, mutedUntil: true, markedUnread: true })

export const DeleteChatResponse = z.object({
  remoteJid: z.string(),
  remoteJidAlt: z.string().nullable(),
  deleted: z.literal(true),
})
