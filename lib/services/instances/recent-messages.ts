import 'server-only'
import { latestForInstance } from '@/lib/store/messages'
import type { AccountContext } from '@/lib/services/accounts/users'
import type { MessageStatus } from '@/lib/db/schema/messages'
import type { InstanceRef } from './lifecycle'

/** A message as the instance page lists it: already reduced to what a person reads at a glance. */
export type RecentMessage = {
  id: string
  direction: 'in' | 'out'
  /** "+15550001111", or a group's / hidden number's id when there is no phone number to show. */
  chat: string
  isGroup: boolean
  pushName: string | null
  kind: 'text' | 'image' | 'video' | 'audio' | 'document' | 'sticker' | 'location' | 'contact' | 'reaction' | 'other'
  preview: string
  status: MessageStatus
  errorMessage: string | null
  viaApi: boolean
  at: string
}

export const RECENT_MESSAGES_LIMIT = 20

/** The instance's latest messages, newest first; scoped to the account in the query itself. */
export async function recentMessages({ ctx, instance }: { ctx: AccountContext; instance: InstanceRef }): Promise<RecentMessage[]> {
  const messages = await latestForInstance(ctx.userId, instance.id, RECENT_MESSAGES_LIMIT)
  return messages.map((message) => {
    const { kind, preview } = describe(message.messageType, message.message)
    return {
      id: message.id,
      direction: message.fromMe ? 'out' : 'in',
      chat: chatLabel(message.remoteJid),
      isGroup: message.remoteJid.endsWith('@g.us'),
      pushName: message.fromMe ? null : message.pushName,
      kind,
      preview,
      status: message.status,
      errorMessage: message.errorMessage,
      viaApi: message.viaApi,
      at: message.createdAt.toISOString(),
    }
  })
}

function chatLabel(jid: string): string {
  const [user, server] = jid.split('@')
  const number = user.split(':')[0]
  return server === 's.whatsapp.net' && /^\d+$/.test(number) ? `+${number}` : number
}

type Described = { kind: RecentMessage['kind']; preview: string }

const PREVIEW_LIMIT = 140

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > PREVIEW_LIMIT ? `${flat.slice(0, PREVIEW_LIMIT - 1)}…` : flat
}

function field(value: unknown, name: string): string | undefined {
  const found = (value as Record<string, unknown> | null | undefined)?.[name]
  return typeof found === 'string' && found.trim() ? found : undefined
}

/** Baileys' message content ({conversation}, {imageMessage: {caption}}, …) → a kind and one line of text. */
function describe(type: string, message: Record<string, unknown> | null): Described {
  const content = message?.[type]
  switch (type) {
    case 'conversation':
      return { kind: 'text', preview: clip(typeof content === 'string' ? content : '') }
    case 'extendedTextMessage':
      return { kind: 'text', preview: clip(field(content, 'text') ?? '') }
    case 'imageMessage':
      return { kind: 'image', preview: clip(field(content, 'caption') ?? 'Photo') }
    case 'videoMessage':
      return { kind: 'video', preview: clip(field(content, 'caption') ?? 'Video') }
    case 'audioMessage':
      return { kind: 'audio', preview: (content as { ptt?: boolean } | undefined)?.ptt ? 'Voice message' : 'Audio' }
    case 'documentMessage':
    case 'documentWithCaptionMessage':
      return { kind: 'document', preview: clip(field(content, 'fileName') ?? field(content, 'caption') ?? 'Document') }
    case 'stickerMessage':
      return { kind: 'sticker', preview: 'Sticker' }
    case 'locationMessage':
    case 'liveLocationMessage':
      return { kind: 'location', preview: clip(field(content, 'name') ?? field(content, 'address') ?? 'Location') }
    case 'contactMessage':
      return { kind: 'contact', preview: clip(field(content, 'displayName') ?? 'Contact') }
    case 'contactsArrayMessage':
      return { kind: 'contact', preview: clip(field(content, 'displayName') ?? 'Contacts') }
    case 'reactionMessage': {
      const emoji = field(content, 'text')
      return { kind: 'reaction', preview: emoji ? `Reacted ${emoji}` : 'Removed a reaction' }
    }
    case 'undecryptable':
      return { kind: 'other', preview: 'Could not be decrypted (the sender never resent it readable)' }
    default:
      return { kind: 'other', preview: type.replace(/Message$/, '') || 'Message' }
  }
}
