// The chat actions, /api/v1/instance/{name}/chat/{archiveChat,pinChat,muteChat,markChatUnread,deleteChat}:
// Evolution API v2's paths and bodies where it has them (archiveChat, markChatUnread), each an
// app-state patch WhatsApp syncs to the phone and the account's other devices.
import type { z } from 'zod'
import { ArchiveChatBody, ChatSettingsResponse, DeleteChatBody, DeleteChatResponse, MarkChatUnreadBody, MuteChatBody, PinChatBody } from '@/lib/api/schemas/chat-settings'
import type { Endpoint } from '../types'

const JID = '919876543210@s.whatsapp.net'
const LID = '100000000000001@lid'

const SETTINGS: z.infer<typeof ChatSettingsResponse> = {
  remoteJid: JID,
  remoteJidAlt: LID,
  unreadCount: 0,
  archived: false,
  pinned: false,
  muted: false,
  mutedUntil: null,
  markedUnread: false,
}

const SYNCED =
  'WhatsApp syncs the change to the phone and the account’s other linked devices, chat/findChats shows it, and a CHATS_UPDATE event follows (also when the change is made on the phone). Name the chat with `chat` (a JID or a number) or, as Evolution API v2 allows, `lastMessage.key.remoteJid`. Needs the instance connected; a chat the instance does not have is 404 `chat_not_found`.'

const chat = (context: { number: string }) => `${context.number}@s.whatsapp.net`

/** One of the four actions that change a chat's settings: the same auth, errors and answer. */
function settingsAction(action: { id: string; path: string; summary: string; description: string; body: z.ZodType; changed: Partial<typeof SETTINGS>; example: Record<string, unknown> }): Endpoint {
  return {
    id: action.id,
    group: 'chat',
    method: 'POST',
    path: `/api/v1/instance/{name}/chat/${action.path}`,
    summary: action.summary,
    description: `${action.description} ${SYNCED}`,
    auth: 'instanceKey',
    body: action.body,
    response: { status: 200, description: 'The chat’s settings after the change.', schema: ChatSettingsResponse, example: { ...SETTINGS, ...action.changed } },
    errors: ['chat_not_found', 'instance_not_connected', 'whatsapp_error', 'timeout'],
    example: (context) => ({ body: { chat: chat(context), ...action.example } }),
  }
}

export const CHAT_SETTINGS_ENDPOINTS: Endpoint[] = [
  settingsAction({
    id: 'chat-archive',
    path: 'archiveChat',
    summary: 'Archive or unarchive a chat',
    description: '`archive: true` moves the chat to Archived, `false` brings it back.',
    body: ArchiveChatBody,
    changed: { archived: true },
    example: { archive: true },
  }),
  settingsAction({
    id: 'chat-pin',
    path: 'pinChat',
    summary: 'Pin or unpin a chat',
    description: '`pin: true` pins the chat to the top of the list (the phone allows three), `false` unpins it.',
    body: PinChatBody,
    changed: { pinned: true },
    example: { pin: true },
  }),
  settingsAction({
    id: 'chat-mute',
    path: 'muteChat',
    summary: 'Mute or unmute a chat',
    description: "`mute: true` silences the chat's notifications for `duration` seconds (60 to a year), or until unmuted when there is no duration; `mute: false` unmutes it.",
    body: MuteChatBody,
    changed: { muted: true, mutedUntil: '2025-01-01T08:00:00.000Z' },
    example: { mute: true, duration: 28800 },
  }),
  settingsAction({
    id: 'chat-mark-unread',
    path: 'markChatUnread',
    summary: 'Mark a chat unread',
    description: "Marks the chat unread, as the phone's \"Mark as unread\" does (`markedUnread: true`; the unread count stays as it is). Reading the chat (chat/markMessageAsRead, or on the phone) clears it.",
    body: MarkChatUnreadBody,
    changed: { markedUnread: true },
    example: {},
  }),
  {
    id: 'chat-delete',
    group: 'chat',
    method: 'DELETE',
    path: '/api/v1/instance/{name}/chat/deleteChat',
    summary: 'Delete a chat',
    description:
      'Deletes the chat on the phone and the account’s linked devices, and from chat/findChats; a CHATS_DELETE event follows (also when the chat is deleted on the phone). The messages this instance stored stay (chat/findMessages still finds them), and a new message starts the chat again. Name the chat with `chat` or `lastMessage.key.remoteJid`. Needs the instance connected; a chat the instance does not have is 404 `chat_not_found`.',
    auth: 'instanceKey',
    body: DeleteChatBody,
    response: { status: 200, description: 'The chat is deleted.', schema: DeleteChatResponse, example: { remoteJid: JID, remoteJidAlt: LID, deleted: true } },
    errors: ['chat_not_found', 'instance_not_connected', 'whatsapp_error', 'timeout'],
    example: (context) => ({ body: { chat: chat(context) } }),
  },
]
