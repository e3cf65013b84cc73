// One line a person reads at a glance for a message: the dashboard's recent messages and chat/findChats' last message.

export type MessageKind = 'text' | 'image' | 'video' | 'audio' | 'document' | 'sticker' | 'location' | 'contact' | 'reaction' | 'other'

type Described = { kind: MessageKind; preview: string }

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
export function describeMessage(type: string, message: Record<string, unknown> | null): Described {
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
    case 'pollCreationMessage':
    case 'pollCreationMessageV2':
    case 'pollCreationMessageV3':
      return { kind: 'other', preview: clip(`Poll: ${field(content, 'name') ?? ''}`) }
    case 'pollUpdateMessage':
      return { kind: 'other', preview: 'Voted in a poll' }
    case 'ptvMessage':
      return { kind: 'video', preview: 'Video note' }
    case 'undecryptable':
      return { kind: 'other', preview: 'Could not be decrypted (the sender never resent it readable)' }
    default:
      return { kind: 'other', preview: type.replace(/Message$/, '') || 'Message' }
  }
}
