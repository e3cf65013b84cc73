// A stored message as the dashboard's conversation draws it: WhatsApp's content (text, caption,
// media, location, poll, reply) read once here, so the page only lays bubbles out.
import 'server-only'
import type { MessageStatus } from '@/lib/db/schema/messages'
import { describeMessage } from '@/lib/messages/preview'
import type { PollTally } from '@/lib/messages/polls'
import type { Message } from '@/lib/store/messages'
import { chatLabel } from '@/lib/services/instances/recent-messages'

export type InboxMessageKind = 'text' | 'image' | 'video' | 'audio' | 'voice' | 'document' | 'sticker' | 'location' | 'contact' | 'poll' | 'other'

export type InboxReaction = { emoji: string; count: number; mine: boolean }

export type InboxMessage = {
  /** WhatsApp's id of the message. */
  id: string
  fromMe: boolean
  /** Who wrote it, in a group (a name, else the number); null for our own and in one-to-one chats. */
  sender: string | null
  /** Unix seconds. */
  at: number
  status: MessageStatus
  kind: InboxMessageKind
  /** The text, or the media's caption. */
  text: string | null
  media: { url: string; mimetype: string; fileName: string | null; size: number | null } | null
  location: { latitude: number; longitude: number; name: string | null; address: string | null } | null
  poll: PollTally | null
  replyTo: { id: string; sender: string; preview: string } | null
  reactions: InboxReaction[]
  edited: boolean
  deleted: boolean
  error: string | null
}

type Content = Record<string, unknown>

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value : null)
/** A number, also as the string protobuf's JSON makes of a 64-bit one (fileLength). */
function number(value: unknown): number | null {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : Number.NaN
  return Number.isFinite(parsed) ? parsed : null
}

/** documentWithCaptionMessage wraps a documentMessage; every other type is its own content. */
function unwrap(type: string, message: Content): { type: string; content: Content } {
  const content = (message[type] ?? {}) as Content
  if (type === 'documentWithCaptionMessage') {
    const inner = ((content.message as Content | undefined)?.documentMessage ?? {}) as Content
    return { type: 'documentMessage', content: inner }
  }
  return { type, content: typeof content === 'object' ? content : {} }
}

function kindOf(type: string, content: Content): InboxMessageKind {
  switch (type) {
    case 'conversation':
    case 'extendedTextMessage':
      return 'text'
    case 'imageMessage':
      return 'image'
    case 'videoMessage':
      return 'video'
    case 'audioMessage':
      return content.ptt ? 'voice' : 'audio'
    case 'documentMessage':
      return 'document'
    case 'stickerMessage':
      return 'sticker'
    case 'locationMessage':
    case 'liveLocationMessage':
      return 'location'
    case 'contactMessage':
    case 'contactsArrayMessage':
      return 'contact'
    case 'pollCreationMessage':
    case 'pollCreationMessageV2':
    case 'pollCreationMessageV3':
      return 'poll'
    default:
      return 'other'
  }
}

/** The quoted message of a reply (WhatsApp's contextInfo), labelled by who wrote it. */
function replyOf(content: Content, chatJid: string, chatName: string, names: Map<string, string>): InboxMessage['replyTo'] {
  const context = content.contextInfo as { stanzaId?: string; participant?: string; quotedMessage?: Content } | undefined
  if (!context?.stanzaId || !context.quotedMessage) return null
  const quotedType = Object.keys(context.quotedMessage).find((key) => key !== 'messageContextInfo') ?? 'conversation'
  const author = context.participant
  const sender = !author ? '' : author === chatJid ? chatName : (names.get(author) ?? (chatJid.endsWith('@g.us') ? chatLabel(author) : 'You'))
  return { id: context.stanzaId, sender, preview: describeMessage(quotedType, context.quotedMessage).preview }
}

export type ViewContext = {
  instanceName: string
  chatJid: string
  chatName: string
  /** Names of group members and contacts, by JID. */
  names: Map<string, string>
  mediaUrl: (waId: string) => string
}

/** One message for the conversation view; reactions and the poll's tally are added by the caller. */
export function messageView(message: Message, context: ViewContext): InboxMessage {
  const { type, content } = unwrap(message.messageType, message.message)
  const kind = kindOf(type, content)
  const body = type === 'conversation' ? text(message.message.conversation) : (text(content.text) ?? text(content.caption) ?? text(content.displayName))
  const inGroup = context.chatJid.endsWith('@g.us')
  const author = message.participant ?? message.remoteJid
  const deleted = message.deletedAt !== null
  return {
    id: message.waId,
    fromMe: message.fromMe,
    sender: message.fromMe || !inGroup ? null : (context.names.get(author) ?? message.pushName ?? chatLabel(author)),
    at: message.messageTimestamp,
    status: message.status,
    kind: deleted ? 'other' : kind,
    text: deleted ? null : kind === 'other' ? describeMessage(message.messageType, message.message).preview : body,
    media:
      deleted || !message.media
        ? null
        : {
            url: context.mediaUrl(message.waId),
            mimetype: message.media.mimetype,
            fileName: message.media.fileName ?? text(content.fileName),
            size: message.media.size ?? number(content.fileLength),
          },
    location:
      !deleted && kind === 'location'
        ? { latitude: number(content.degreesLatitude) ?? 0, longitude: number(content.degreesLongitude) ?? 0, name: text(content.name), address: text(content.address) }
        : null,
    poll: null,
    replyTo: deleted ? null : replyOf(content, context.chatJid, context.chatName, context.names),
    reactions: [],
    edited: message.editedAt !== null && !deleted,
    deleted,
    error: message.status === 'ERROR' ? message.errorMessage : null,
  }
}
