import type { z } from 'zod'
import type { ContactCard, MessageKey } from '@/lib/api/schemas/messages'

type Quoted = { key: Partial<z.infer<typeof MessageKey>>; message?: Record<string, unknown> }

/** What every send but a reaction may carry: the message it replies to, and whom it mentions (numbers). */
export type SendExtras = { quoted?: Quoted; mentions?: string[]; mentionsEveryOne?: boolean }

/** What the worker is asked to send; stored with the message (the outbox row). */
export type SendContent = SendExtras & (
  | { kind: 'text'; text: string; linkPreview?: boolean }
  | { kind: 'media'; mediatype: 'image' | 'video' | 'audio' | 'document'; mimetype: string; caption?: string; fileName?: string; url?: string; ptv?: boolean; gif?: boolean }
  | { kind: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | { kind: 'contacts'; contacts: { displayName: string; vcard: string }[] }
  | { kind: 'reaction'; key: z.infer<typeof MessageKey>; text: string }
  /** The picture is in message_media (uploaded, or fetched from `url`); the worker makes it a WebP. */
  | { kind: 'sticker'; url?: string }
  /** A voice note: the audio is in message_media (uploaded, or fetched from `url`); the worker converts it to Ogg/Opus unless `encoding` is false. */
  | { kind: 'voice'; url?: string; encoding: boolean }
  | { kind: 'poll'; name: string; values: string[]; selectableCount: number }
  /** A stored message's content (as messageToJson wrote it), sent on with "Forwarded". */
  | { kind: 'forward'; message: Record<string, unknown> }
)

function escapeVcard(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/,/g, '\\,').replace(/;/g, '\\;')
}

export function vcardOf(contact: z.infer<typeof ContactCard>): string {
  const digits = contact.phoneNumber.replace(/\D/g, '')
  const waid = contact.wuid ?? digits
  return [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `FN:${escapeVcard(contact.fullName)}`,
    contact.organization ? `ORG:${escapeVcard(contact.organization)};` : undefined,
    contact.email ? `EMAIL:${contact.email}` : undefined,
    contact.url ? `URL:${contact.url}` : undefined,
    `TEL;type=CELL;type=VOICE;waid=${waid}:+${digits}`,
    'END:VCARD',
  ]
    .filter(Boolean)
    .join('\n')
}

/** The message as WhatsApp will carry it, known before sending (the worker replaces it with Baileys' own). */
export function previewMessage(content: SendContent): Record<string, unknown> {
  switch (content.kind) {
    case 'text':
      return { extendedTextMessage: { text: content.text } }
    case 'location':
      return { locationMessage: { degreesLatitude: content.latitude, degreesLongitude: content.longitude, name: content.name, address: content.address } }
    case 'contacts':
      return content.contacts.length === 1
        ? { contactMessage: content.contacts[0] }
        : { contactsArrayMessage: { displayName: `${content.contacts.length} contacts`, contacts: content.contacts } }
    case 'reaction':
      return { reactionMessage: { key: content.key, text: content.text } }
    case 'forward':
      return content.message
    case 'sticker':
      return { stickerMessage: { mimetype: 'image/webp' } }
    case 'voice':
      return { audioMessage: { mimetype: 'audio/ogg; codecs=opus', ptt: true } }
    case 'poll':
      return {
        [content.selectableCount === 1 ? 'pollCreationMessageV3' : 'pollCreationMessage']: {
          name: content.name,
          options: content.values.map((optionName) => ({ optionName })),
          selectableOptionsCount: content.selectableCount,
        },
      }
    case 'media':
      return { [`${content.mediatype}Message`]: { mimetype: content.mimetype, caption: content.caption, fileName: content.fileName } }
  }
}

/** The JID of a validated recipient: groups and LIDs are JIDs already, a number gets @s.whatsapp.net. */
export function jidOf(recipient: string): string {
  return recipient.endsWith('@g.us') || recipient.endsWith('@lid') ? recipient : `${recipient}@s.whatsapp.net`
}
