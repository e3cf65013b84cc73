// What the virtual phone shows for one WhatsApp message (proto.Message as JSON): its kind and what
// the bubble draws, and how later protocol messages (an edit, a delete for everyone) change it.
import { SAMPLE_PHOTO_DATA_URL, SAMPLE_PHOTO_SHA256 } from './sample-photo'

type Proto = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

export type ChatPoll = {
  question: string
  /** 1: a single choice; 0: any number. */
  selectableCount: number
  options: { name: string; votes: number; /** The contact picked it. */ mine: boolean }[]
}

export type LinkPreview = { url: string; title: string; description?: string; thumbnail?: string }

export type VoiceNote = { seconds: number; /** 64 bars, 0–100. */ waveform: number[]; /** A data URL to play, when small enough to inline. */ audio?: string }

/** What a bubble draws; the feed adds id, direction, time and ticks. */
export type ChatContent = {
  kind: 'text' | 'image' | 'location' | 'document' | 'contact' | 'reaction' | 'poll' | 'sticker' | 'voice' | 'deleted' | 'other'
  text?: string
  image?: string
  location?: { latitude: number; longitude: number; name?: string; address?: string }
  fileName?: string
  poll?: ChatPoll
  preview?: LinkPreview
  voice?: VoiceNote
  /** The sender edited it after sending. */
  edited?: boolean
}

/** Wrappers Baileys and phones put around the content. */
export function unwrap(message: Proto | null | undefined): Proto {
  let current = message ?? {}
  for (let depth = 0; depth < 4; depth++) {
    const inner =
      current.ephemeralMessage?.message ??
      current.viewOnceMessage?.message ??
      current.viewOnceMessageV2?.message ??
      current.documentWithCaptionMessage?.message ??
      current.deviceSentMessage?.message ??
      current.editedMessage?.message
    if (!inner) break
    current = inner
  }
  return current
}

function base64Of(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer') return Buffer.from((value as { data: number[] }).data).toString('base64')
  return undefined
}

const POLL_TYPES = ['pollCreationMessage', 'pollCreationMessageV2', 'pollCreationMessageV3'] as const

function linkPreviewOf(text: Proto): LinkPreview | undefined {
  if (!text.title && !text.matchedText) return undefined
  const thumbnail = base64Of(text.jpegThumbnail)
  return {
    url: text.canonicalUrl || text.matchedText || '',
    title: text.title || text.matchedText || '',
    description: text.description || undefined,
    thumbnail: thumbnail ? `data:image/jpeg;base64,${thumbnail}` : undefined,
  }
}

/**
 * A proto.Message (as JSON) → what the phone shows; undefined for protocol chatter that is not a
 * message. `media` is the attachment's data URL, when the feed inlines it.
 */
export function chatContentOf(raw: Proto | null | undefined, media?: string): ChatContent | undefined {
  const message = unwrap(raw)
  if (typeof message.conversation === 'string' && message.conversation) return { kind: 'text', text: message.conversation }
  if (message.extendedTextMessage?.text) return { kind: 'text', text: message.extendedTextMessage.text, preview: linkPreviewOf(message.extendedTextMessage) }
  if (message.imageMessage) {
    const image = media ?? (base64Of(message.imageMessage.fileSha256) === SAMPLE_PHOTO_SHA256 ? SAMPLE_PHOTO_DATA_URL : undefined)
    return { kind: 'image', text: message.imageMessage.caption || undefined, image }
  }
  if (message.locationMessage || message.liveLocationMessage) {
    const location = message.locationMessage ?? message.liveLocationMessage
    return {
      kind: 'location',
      location: { latitude: Number(location.degreesLatitude), longitude: Number(location.degreesLongitude), name: location.name || undefined, address: location.address || undefined },
    }
  }
  if (message.documentMessage) return { kind: 'document', fileName: message.documentMessage.fileName || 'Document', text: message.documentMessage.caption || undefined }
  if (message.contactMessage) return { kind: 'contact', text: message.contactMessage.displayName || 'Contact' }
  if (message.contactsArrayMessage) return { kind: 'contact', text: message.contactsArrayMessage.displayName || 'Contacts' }
  if (message.reactionMessage) return message.reactionMessage.text ? { kind: 'reaction', text: message.reactionMessage.text } : undefined
  for (const type of POLL_TYPES) {
    const poll = message[type]
    if (!poll) continue
    const options = ((poll.options ?? []) as { optionName?: string }[]).map((option) => ({ name: option.optionName ?? '', votes: 0, mine: false }))
    return { kind: 'poll', poll: { question: poll.name ?? '', selectableCount: poll.selectableOptionsCount ?? 0, options } }
  }
  if (message.stickerMessage) return { kind: 'sticker', image: media }
  if (message.audioMessage?.ptt) {
    const waveform = [...Buffer.from(base64Of(message.audioMessage.waveform) ?? '', 'base64')]
    return { kind: 'voice', voice: { seconds: Number(message.audioMessage.seconds ?? 0), waveform, audio: media } }
  }
  if (message.videoMessage) return { kind: 'other', text: message.videoMessage.caption || '🎬 Video' }
  if (message.ptvMessage) return { kind: 'other', text: '🎬 Video note' }
  if (message.audioMessage) return { kind: 'other', text: '🎵 Audio' }
  return undefined
}

/** What a protocol message does to an earlier one: an edit (its new content) or a delete for everyone. */
export function protocolChangeOf(raw: Proto | null | undefined): { targetId: string; edit?: ChatContent; deleted?: true } | undefined {
  const protocol = unwrap(raw).protocolMessage
  const targetId = protocol?.key?.id
  if (!targetId) return undefined
  if (protocol.type === 'REVOKE' || protocol.type === 0) return { targetId, deleted: true }
  if (protocol.type === 'MESSAGE_EDIT' || protocol.type === 14) {
    const edit = chatContentOf(protocol.editedMessage)
    return edit ? { targetId, edit } : undefined
  }
  return undefined
}

/** An edit keeps the bubble's kind (an image stays an image), with the new text or caption. */
export function edited(original: ChatContent, edit: ChatContent): ChatContent {
  return { ...original, text: edit.text, ...(original.kind === 'text' ? { preview: edit.preview } : {}), edited: true }
}

export const DELETED: ChatContent = { kind: 'deleted', text: 'This message was deleted' }
