import { z } from 'zod'
import { MESSAGE_STATUS, MessageKeyOut } from './messages'

/**
 * A chat or contact as the read endpoints take it: a JID as webhooks show it (`<number>@s.whatsapp.net`,
 * `<lid>@lid`, a group's `<id>@g.us`), or a phone number (digits; +, spaces and dashes stripped).
 */
export const ChatJid = z
  .string({ error: 'Give a JID or a number as a string, e.g. "919876543210@s.whatsapp.net" or "919876543210"' })
  .trim()
  .transform((value) => (/@/.test(value) ? value : value.replace(/[\s+\-()]/g, '')))
  .pipe(
    z.union([
      z.string().regex(/^\d{5,20}(-\d+)?@g\.us$/, 'A group JID looks like 120363012345678901@g.us'),
      z.string().regex(/^\d{1,20}@(lid|s\.whatsapp\.net)$/, 'A JID looks like 919876543210@s.whatsapp.net or 123456789012345@lid'),
      z
        .string()
        .regex(/^\d{10,15}$/, 'Country code and number, digits only, or a JID')
        .transform((digits) => `${digits}@s.whatsapp.net`),
    ]),
  )
  .describe('A JID (<number>@s.whatsapp.net, <lid>@lid, <id>@g.us) or a phone number, digits only')

const Limit = (fallback: number) =>
  z.number({ error: 'limit is a whole number from 1 to 100' }).int('limit is a whole number from 1 to 100').min(1, 'limit is at least 1').max(100, 'limit is at most 100').default(fallback)

/** Opaque: the `nextCursor` of the previous page, passed back as it came. */
const Cursor = z.string().min(1, 'Use the nextCursor of the previous page').max(512, 'Use the nextCursor of the previous page').describe('The nextCursor of the previous page')

const UnixSeconds = z.number({ error: 'A Unix time in seconds' }).int('A Unix time in seconds').min(0)

export const FindMessagesBody = z.object({
  where: z
    .object({
      key: z
        .object({
          remoteJid: ChatJid.optional().describe('Only this chat (by its number JID, its LID or a group JID); 404 chat_not_found when the instance has no such chat'),
          remoteJidAlt: ChatJid.optional().describe('The same, by the chat’s other identity (as MESSAGES_UPSERT’s key.remoteJidAlt)'),
          fromMe: z.boolean().optional().describe('true: only messages this instance sent; false: only received ones'),
          id: z.string().min(1).max(128).optional().describe('WhatsApp’s message id'),
        })
        .optional(),
      messageType: z.string().regex(/^[A-Za-z]{1,64}$/, 'A message type such as conversation or imageMessage').optional().describe('e.g. conversation, extendedTextMessage, imageMessage'),
      messageTimestamp: z
        .object({ gte: UnixSeconds.optional().describe('From this Unix time (seconds), inclusive'), lte: UnixSeconds.optional().describe('Up to this Unix time (seconds), inclusive') })
        .optional(),
    })
    .optional(),
  text: z.string().trim().min(1, 'text cannot be empty').max(200, 'text is at most 200 characters').optional().describe('Words to find in the text or caption: all must appear (case-insensitive, whole words); "a phrase" in quotes, `or`, and -word work as in a web search'),
  limit: Limit(50).describe('Messages per page, 1–100 (default 50)'),
  cursor: Cursor.optional(),
})
export type FindMessagesBody = z.infer<typeof FindMessagesBody>

export const MessageItem = z.object({
  key: MessageKeyOut,
  pushName: z.string().nullable(),
  messageType: z.string(),
  message: z.record(z.string(), z.unknown()),
  messageTimestamp: z.number().int(),
  status: MESSAGE_STATUS,
  media: z.object({ mimetype: z.string(), url: z.string() }).optional().describe('For media messages: where to download the file'),
  editedAt: z.string().nullable().describe('When the sender last edited it (ISO 8601), or null'),
  deletedAt: z.string().nullable().describe('When the sender deleted it for everyone (ISO 8601), or null'),
})

export const FindMessagesResponse = z.object({
  messages: z.array(MessageItem).describe('Newest first'),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next (older) page; null on the last page'),
})

export const FindChatsBody = z.object({
  where: z
    .object({
      archived: z.boolean().optional().describe('true: only archived chats; false: only chats not archived'),
      type: z.enum(['group', 'direct'], { error: 'type is group or direct' }).optional().describe('Only groups, or only one-to-one chats'),
    })
    .optional(),
  search: z.string().trim().min(1, 'search cannot be empty').max(100, 'search is at most 100 characters').optional().describe('Part of the chat’s name (contact or group subject), or 3+ digits of the number'),
  limit: Limit(50).describe('Chats per page, 1–100 (default 50)'),
  cursor: Cursor.optional(),
})
export type FindChatsBody = z.infer<typeof FindChatsBody>

export const ChatItem = z.object({
  remoteJid: z.string().describe('The chat: the contact’s <number>@s.whatsapp.net when the number is known (else its <lid>@lid), or the group’s <id>@g.us'),
  remoteJidAlt: z.string().nullable().describe('The contact’s LID when remoteJid is the number, when known'),
  isGroup: z.boolean(),
  name: z.string().nullable().describe('The chat’s name: as the phone named it, else the contact’s saved or push name, or the group’s subject'),
  unreadCount: z.number().int(),
  archived: z.boolean(),
  pinned: z.boolean(),
  muted: z.boolean(),
  mutedUntil: z.string().nullable().describe('Muted until (ISO 8601; 9999-12-31T23:59:59.000Z: until unmuted), or null'),
  markedUnread: z.boolean().describe('Marked unread by hand (chat/markChatUnread or on the phone); reading the chat clears it'),
  lastMessageTimestamp: z.number().int().nullable().describe('Unix seconds of the newest message'),
  lastMessagePreview: z.string().nullable().describe('The newest stored message in one line (text, caption, or "Photo", "Voice message"…)'),
  lastMessage: MessageItem.nullable().describe('The newest stored message, as chat/findMessages shows it'),
})

export const FindChatsResponse = z.object({
  chats: z.array(ChatItem).describe('Newest message first'),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page'),
})

export const FindContactsBody = z.object({
  where: z.object({ remoteJid: ChatJid.optional().describe('Only this contact, by number JID, LID or number') }).optional(),
  search: z.string().trim().min(1, 'search cannot be empty').max(100, 'search is at most 100 characters').optional().describe('Part of a name (push, saved or business name), or 3+ digits of the number'),
  limit: Limit(50).describe('Contacts per page, 1–100 (default 50)'),
  cursor: Cursor.optional(),
})
export type FindContactsBody = z.infer<typeof FindContactsBody>

export const ContactItem = z.object({
  remoteJid: z.string().describe('<number>@s.whatsapp.net when the number is known, else <lid>@lid'),
  lid: z.string().nullable().describe('The contact’s LID, when known'),
  number: z.string().nullable().describe('The phone number, digits only, when known'),
  pushName: z.string().nullable().describe('The name the contact gave itself on WhatsApp'),
  savedName: z.string().nullable().describe('The name the account saved for the contact on the phone'),
  verifiedName: z.string().nullable().describe('A business’s verified name'),
  isWhatsApp: z.literal(true).describe('Always true: a contact is listed once the instance saw it on WhatsApp (history sync or a message); check other numbers with chat/whatsappNumbers'),
  updatedAt: z.string(),
})

export const FindContactsResponse = z.object({
  contacts: z.array(ContactItem).describe('By JID'),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page'),
})

/** A contact (not a group): its number (digits), its number JID, or its LID. */
export const ContactJid = z
  .string({ error: 'Give the number as a string, e.g. "919876543210" or "123456789012345@lid"' })
  .trim()
  .transform((value) => (/@/.test(value) ? value : value.replace(/[\s+\-()]/g, '')))
  .pipe(
    z.union([
      z.string().regex(/^\d{1,20}@(lid|s\.whatsapp\.net)$/, 'A contact: a number, <number>@s.whatsapp.net or <lid>@lid (not a group)'),
      z
        .string()
        .regex(/^\d{10,15}$/, 'A contact: a number (country code and number, digits only) or a JID (not a group)')
        .transform((digits) => `${digits}@s.whatsapp.net`),
    ]),
  )
  .describe('The contact: a phone number (digits), <number>@s.whatsapp.net, or <lid>@lid')

export const UpdateBlockStatusBody = z.object({
  number: ContactJid,
  status: z.enum(['block', 'unblock'], { error: 'status is block or unblock' }).describe('block or unblock'),
})

export const UpdateBlockStatusResponse = z.object({
  jid: z.string().describe('The contact, as given (a number becomes <number>@s.whatsapp.net)'),
  status: z.enum(['blocked', 'unblocked']),
})

export const BlocklistResponse = z.object({
  blocked: z
    .array(z.object({ jid: z.string().describe('<number>@s.whatsapp.net when the instance knows the number, else the LID'), lid: z.string().nullable().describe('The contact’s LID') }))
    .describe('The contacts the account blocked, as WhatsApp lists them now'),
})

/** A contact, or (number left out) the instance itself, as Evolution API's fetchProfile takes it. */
export const ContactBody = z.object({ number: ContactJid.optional().describe('The contact: a phone number (digits), <number>@s.whatsapp.net, or <lid>@lid; leave it out for the instance’s own profile') })

export const ProfilePictureResponse = z.object({
  jid: z.string(),
  profilePictureUrl: z.string().nullable().describe('Where WhatsApp serves the picture now (the link expires); null when there is none or its owner hides it'),
})

export const ProfileResponse = z.object({
  jid: z.string(),
  name: z.string().nullable().optional().describe('The instance’s own profile only: its push name'),
  pictureUrl: z.string().nullable().describe('As profilePictureUrl of chat/fetchProfilePictureUrl'),
  about: z.string().nullable().describe('The about (status) text, null when hidden or unset'),
  aboutSetAt: z.string().nullable().describe('When it was set (ISO 8601)'),
  business: z
    .object({
      description: z.string().nullable(),
      email: z.string().nullable(),
      website: z.array(z.string()),
      address: z.string().nullable(),
      category: z.string().nullable(),
    })
    .nullable()
    .describe('The business profile; null when the contact is not a business'),
})
