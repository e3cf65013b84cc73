// The chat read endpoints, /api/v1/instance/{name}/chat/find…: Evolution API v2's paths and `where`
// filters, our answers (cursor pages), read from what the instance stored.
import { BlocklistResponse, ChatItem, ContactBody, ContactItem, ProfilePictureResponse, ProfileResponse, UpdateBlockStatusBody, UpdateBlockStatusResponse, FindChatsBody, FindChatsResponse, FindContactsBody, FindContactsResponse, FindMessagesBody, FindMessagesResponse, MessageItem } from '@/lib/api/schemas/chats'
import type { z } from 'zod'
import type { Endpoint } from '../types'

const NUMBER = '919876543210'
const JID = `${NUMBER}@s.whatsapp.net`
const LID = '100000000000001@lid'
const CURSOR = 'eyJ0IjoxNzM1Njg5NjAwLCJpIjoiOGYxZTNiNmEtNGM2Zi00ZDNhLTliMmUtMWYwYzJkM2U0YjVhIn0'

const MESSAGE_EXAMPLE: z.infer<typeof MessageItem> = {
  key: { remoteJid: JID, remoteJidAlt: LID, fromMe: false, id: '3EB0C431C26A1916E07A' },
  pushName: 'Priya',
  messageType: 'imageMessage',
  message: { imageMessage: { caption: 'The invoice for order 1042', mimetype: 'image/jpeg' } },
  messageTimestamp: 1735689600,
  status: 'DELIVERY_ACK',
  media: { mimetype: 'image/jpeg', url: '/api/v1/instance/acme-prod/messages/3EB0C431C26A1916E07A/media' },
  editedAt: null,
  deletedAt: null,
}

const CHAT_EXAMPLE: z.infer<typeof ChatItem> = {
  remoteJid: JID,
  remoteJidAlt: LID,
  isGroup: false,
  name: 'Priya',
  unreadCount: 2,
  archived: false,
  pinned: false,
  muted: false,
  mutedUntil: null,
  markedUnread: false,
  lastMessageTimestamp: 1735689600,
  lastMessagePreview: 'The invoice for order 1042',
  lastMessage: MESSAGE_EXAMPLE,
}

const CONTACT_EXAMPLE: z.infer<typeof ContactItem> = {
  remoteJid: JID,
  lid: LID,
  number: NUMBER,
  pushName: 'Priya',
  savedName: 'Priya (Acme)',
  verifiedName: null,
  isWhatsApp: true,
  updatedAt: '2025-01-01T00:00:00.000Z',
}

const PAGING =
  'Pages hold up to `limit` items (1–100); pass `nextCursor` back as `cursor` for the next page, until it is null. Paging is by position, not offset: what is stored while you page never makes an item appear twice or pushes one out of your pages.'

export const CHAT_READ_ENDPOINTS: Endpoint[] = [
  {
    id: 'chat-find-messages',
    group: 'chat',
    method: 'POST',
    path: '/api/v1/instance/{name}/chat/findMessages',
    summary: 'Find messages',
    description: `The messages this instance stored (received, sent through the API or from the phone, and from the history sync after pairing), newest first: one chat's (\`where.key.remoteJid\`, by its number JID, its LID or a group JID) or all. Filter by \`where.key.fromMe\`, \`where.key.id\`, \`where.messageType\` and \`where.messageTimestamp\` (\`gte\`/\`lte\`, Unix seconds), and search the text and captions with \`text\` (whole words, any language, case-insensitive). Each item is the MESSAGES_UPSERT webhook's \`data\` with the message's current status, its media URL, and whether it was edited or deleted. ${PAGING} An unknown chat is 404 \`chat_not_found\`; a cursor not from this endpoint is 400.`,
    auth: 'instanceKey',
    body: FindMessagesBody,
    response: { status: 200, description: 'A page of messages, newest first.', schema: FindMessagesResponse, example: { messages: [MESSAGE_EXAMPLE], nextCursor: CURSOR } },
    errors: ['chat_not_found'],
    example: (context) => ({ body: { where: { key: { remoteJid: `${context.number}@s.whatsapp.net` } }, limit: 20 } }),
  },
  {
    id: 'chat-find-chats',
    group: 'chat',
    method: 'POST',
    path: '/api/v1/instance/{name}/chat/findChats',
    summary: 'List chats',
    description: `The instance's chats, the most recent conversation first, each with its newest message, unread count, and whether it is archived, pinned, muted or marked unread (as the phone's history sync described them; new messages keep the time and unread count current, chat/markMessageAsRead clears the unread count, and archiving, pinning, muting or marking unread, through the API or on the phone, shows at once). Filter with \`where.archived\` and \`where.type\` (\`group\` or \`direct\`). ${PAGING} A chat that gets a new message while you page moves to the top: it is on the next first page, not further down.`,
    auth: 'instanceKey',
    body: FindChatsBody,
    response: { status: 200, description: 'A page of chats, newest message first.', schema: FindChatsResponse, example: { chats: [CHAT_EXAMPLE], nextCursor: null } },
    errors: [],
    example: () => ({ body: { where: { type: 'direct', archived: false }, limit: 20 } }),
  },
  {
    id: 'chat-find-contacts',
    group: 'chat',
    method: 'POST',
    path: '/api/v1/instance/{name}/chat/findContacts',
    summary: 'Find contacts',
    description: `The people this instance knows, from the phone's history sync and from the messages they sent (their WhatsApp name is kept current): number JID and LID, WhatsApp name, the name saved on the phone, a business's verified name. \`search\` finds part of a name or 3+ digits of the number; \`where.remoteJid\` one contact by number, JID or LID. ${PAGING}`,
    auth: 'instanceKey',
    body: FindContactsBody,
    response: { status: 200, description: 'A page of contacts, by JID.', schema: FindContactsResponse, example: { contacts: [CONTACT_EXAMPLE], nextCursor: null } },
    errors: [],
    example: (context) => ({ body: { search: context.number.slice(-6), limit: 20 } }),
  },
  {
    id: 'chat-update-block-status',
    group: 'chat',
    method: 'POST',
    path: '/api/v1/instance/{name}/chat/updateBlockStatus',
    summary: 'Block or unblock a contact',
    description: 'Blocks (`status: "block"`) or unblocks a contact, by number or LID, as the phone would. Needs the instance connected.',
    auth: 'instanceKey',
    body: UpdateBlockStatusBody,
    response: { status: 200, description: 'The contact’s new state.', schema: UpdateBlockStatusResponse, example: { jid: JID, status: 'blocked' } },
    errors: ['instance_not_connected', 'whatsapp_error', 'timeout'],
    example: (context) => ({ body: { number: context.memberNumber, status: 'block' } }),
  },
  {
    id: 'chat-fetch-blocklist',
    group: 'chat',
    method: 'GET',
    path: '/api/v1/instance/{name}/chat/fetchBlocklist',
    summary: 'List blocked contacts',
    description: 'The contacts the account blocked, as WhatsApp lists them now (from this instance or the phone). WhatsApp names them by LID; `jid` is the number JID whenever the instance knows it. Needs the instance connected.',
    auth: 'instanceKey',
    response: { status: 200, description: 'The blocked contacts.', schema: BlocklistResponse, example: { blocked: [{ jid: JID, lid: LID }] } },
    errors: ['instance_not_connected', 'whatsapp_error', 'timeout'],
    example: () => ({}),
  },
  {
    id: 'chat-fetch-profile-picture-url',
    group: 'chat',
    method: 'POST',
    path: '/api/v1/instance/{name}/chat/fetchProfilePictureUrl',
    summary: 'Get a profile picture URL',
    description: 'Where WhatsApp serves the contact’s picture (without `number`, the instance’s own) right now (the link expires; fetch it again later rather than storing it). `null` when the contact has no picture or hides it from this account. Needs the instance connected.',
    auth: 'instanceKey',
    body: ContactBody,
    response: { status: 200, description: 'The picture’s URL, or null.', schema: ProfilePictureResponse, example: { jid: JID, profilePictureUrl: null } },
    errors: ['instance_not_connected', 'whatsapp_error', 'timeout'],
    example: (context) => ({ body: { number: context.number } }),
  },
  {
    id: 'chat-fetch-profile',
    group: 'chat',
    method: 'POST',
    path: '/api/v1/instance/{name}/chat/fetchProfile',
    summary: 'Get a profile',
    description: 'The contact’s (without `number`, the instance’s own, with its push name as `name`) picture URL, about (status) text and, when it is a business, its business profile (description, email, website, address, category), as WhatsApp answers now. Needs the instance connected.',
    auth: 'instanceKey',
    body: ContactBody,
    response: {
      status: 200,
      description: 'The profile.',
      schema: ProfileResponse,
      example: { jid: JID, pictureUrl: null, about: 'Hey there! I am using WhatsApp.', aboutSetAt: '2025-01-01T00:00:00.000Z', business: null },
    },
    errors: ['instance_not_connected', 'whatsapp_error', 'timeout'],
    example: (context) => ({ body: { number: context.number } }),
  },
]
