// Turns the control API's JSON into the proto.Message a phone would send.
import type { proto } from '@whiskeysockets/baileys'
import type { MediaHost } from './media-host.js'
import type { VoteInput } from './polls.js'

export interface ComposeInput {
  text?: string
  location?: { latitude: number; longitude: number; name?: string; address?: string }
  contact?: { displayName: string; vcard: string }
  /** `ptt`: an audio recorded in the chat (a voice note: WhatsApp shows it with a microphone and plays it inline), `seconds` its length. */
  media?: { type: 'image' | 'video' | 'audio' | 'document' | 'sticker'; base64: string; mimetype?: string; fileName?: string; caption?: string; ptt?: boolean; seconds?: number }
  reaction?: { messageId: string; emoji: string; fromMe?: boolean; remoteJid?: string }
  /**
   * The sender edits its own message `messageId` (MESSAGE_EDIT inside an `editedMessage` wrapper).
   * `timestampMs` is the sender's to choose (an int64 inside the end-to-end encrypted message, so a
   * modified client can put any value there); default now.
   */
  edit?: { messageId: string; text: string; timestampMs?: string | number }
  /**
   * The sender deletes its own message `messageId` for everyone (REVOKE); with `participant` (a group
   * member's JID, as the group addresses it) a group admin deletes that member's message.
   */
  revoke?: { messageId: string; participant?: string }
  /** The sender votes on a poll it received (polls.ts encrypts the vote with the poll's messageSecret). */
  vote?: VoteInput
}

export class ComposeError extends Error {}

export function composeMessage(input: ComposeInput, media: MediaHost | undefined, reactionChat: string): proto.IMessage {
  if (input.text !== undefined) return { conversation: input.text }
  if (input.location) {
    const l = input.location
    return { locationMessage: { degreesLatitude: l.latitude, degreesLongitude: l.longitude, name: l.name, address: l.address } }
  }
  if (input.contact) return { contactMessage: { displayName: input.contact.displayName, vcard: input.contact.vcard } }
  if (input.reaction) {
    const r = input.reaction
    return {
      reactionMessage: {
        key: { id: r.messageId, fromMe: r.fromMe ?? false, remoteJid: r.remoteJid ?? reactionChat },
        text: r.emoji,
        senderTimestampMs: Date.now()
      }
    }
  }
  // The key inside an edit or a revoke is written from the sender's side: `fromMe` is the sender's own
  // message, `remoteJid` the chat as the sender names it (whatsmeow: BuildEdit / BuildRevoke in send.go).
  if (input.edit) {
    return {
      editedMessage: {
        message: {
          protocolMessage: {
            key: { remoteJid: reactionChat, fromMe: true, id: input.edit.messageId },
            type: 14, // MESSAGE_EDIT
            editedMessage: { conversation: input.edit.text },
            // protobufjs writes an int64 given as a decimal string exactly.
            timestampMs: (input.edit.timestampMs ?? Date.now()) as number
          }
        }
      }
    }
  }
  if (input.revoke) {
    const { messageId, participant } = input.revoke
    return {
      protocolMessage: {
        key: participant ? { remoteJid: reactionChat, fromMe: false, id: messageId, participant } : { remoteJid: reactionChat, fromMe: true, id: messageId },
        type: 0 // REVOKE
      }
    }
  }
  if (input.media) {
    if (!media) throw new ComposeError('media host not running')
    const m = input.media
    const bytes = Buffer.from(m.base64, 'base64')
    const stored = media.storeOutgoing(bytes, m.type)
    const common = {
      url: stored.url,
      directPath: stored.directPath,
      mediaKey: stored.mediaKey,
      fileSha256: stored.fileSha256,
      fileEncSha256: stored.fileEncSha256,
      fileLength: stored.fileLength,
      mediaKeyTimestamp: Math.floor(Date.now() / 1000)
    }
    switch (m.type) {
      case 'image': return { imageMessage: { ...common, mimetype: m.mimetype ?? 'image/jpeg', caption: m.caption } }
      case 'video': return { videoMessage: { ...common, mimetype: m.mimetype ?? 'video/mp4', caption: m.caption } }
      case 'audio': return { audioMessage: { ...common, mimetype: m.mimetype ?? 'audio/ogg; codecs=opus', ptt: m.ptt, seconds: m.seconds } }
      case 'sticker': return { stickerMessage: { ...common, mimetype: m.mimetype ?? 'image/webp' } }
      default: return { documentMessage: { ...common, mimetype: m.mimetype ?? 'application/octet-stream', fileName: m.fileName ?? 'file', caption: m.caption } }
    }
  }
  throw new ComposeError('nothing to send: give text, location, contact, media, reaction, edit or revoke')
}
