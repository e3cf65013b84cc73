// Edits and deletions for everyone. Both arrive as an ordinary message whose content is a
// `protocolMessage` (an edit wrapped in `editedMessage`; whatsmeow: BuildEdit / BuildRevoke in send.go)
// naming the target by a key written from the sender's side: `fromMe` means "the sender's own
// message" and `remoteJid` is the chat as the sender names it (for a contact's 1:1 message, our own
// number). The envelope, as Baileys keys it (node_modules/@whiskeysockets/baileys/lib/Utils/process-message.js,
// REVOKE and MESSAGE_EDIT), says whose side we are on; this turns the two into the message as we
// stored it.
import { proto, type WAMessage, type WASocket } from '@whiskeysockets/baileys'
import { applyEdit, markDeleted, type MessageTarget } from '@/lib/store/messages'
import type { InstanceIdentity } from '@/lib/events/types'
import { messageKey } from '@/lib/messages/payloads'
import { addressKey, identityOf } from './addressing'
import { messageToJson } from './events'
import { senderTimeOf } from './sender-time'

const { REVOKE, MESSAGE_EDIT } = proto.Message.ProtocolMessage.Type

type Own = { pn: string | null; lid: string | null }

export function ownIdentity(socket: WASocket | undefined): Own {
  const user = (jid: string | null | undefined) => (jid ? jid.split('@')[0].split(':')[0] : null)
  return { pn: user(socket?.user?.id), lid: user(socket?.user?.lid ?? socket?.authState.creds.me?.lid) }
}

export const isOwn = (jid: string | null | undefined, own: Own) => {
  const user = jid?.split('@')[0].split(':')[0]
  return !!user && (user === own.pn || user === own.lid)
}

/**
 * The message an edit or a revoke in `envelope` is about. The chat is always the envelope's chat. The
 * author: the sender itself when the protocol key says `fromMe` (the only case for edits); otherwise
 * (a group admin deleting someone's post) the protocol key's participant, who may be us.
 */
async function targetOf(socket: WASocket | undefined, envelope: WAMessage, protocolKey: proto.IMessageKey): Promise<MessageTarget | undefined> {
  if (!protocolKey.id || !envelope.key.remoteJid) return undefined
  const chat = await addressKey(socket, envelope.key)
  let fromMe = Boolean(envelope.key.fromMe)
  let participant = chat.participant
  let participantAlt = chat.participantAlt
  if (!protocolKey.fromMe) {
    // someone else's message: an admin's deletion names its author
    if (!protocolKey.participant) return undefined
    const author = await identityOf(socket, protocolKey.participant)
    fromMe = isOwn(author.jid, ownIdentity(socket)) || isOwn(author.alt, ownIdentity(socket))
    participant = fromMe ? null : author.jid
    participantAlt = fromMe ? null : author.alt
  } else if (fromMe) {
    participant = null
    participantAlt = null
  }
  const chats = [chat.remoteJid, chat.remoteJidAlt].filter((jid): jid is string => !!jid)
  const key = messageKey({ remoteJid: chat.remoteJid, remoteJidAlt: chat.remoteJidAlt, fromMe, waId: protocolKey.id, participant, participantAlt })
  return { chats, id: protocolKey.id, fromMe, key }
}

/** Handles `content` when it is an edit or a revoke; false for any other protocol message. */
export async function handleEditOrRevoke(instance: InstanceIdentity, socket: WASocket | undefined, envelope: WAMessage, content: proto.IMessage): Promise<boolean> {
  const protocol = content.protocolMessage
  if (!protocol?.key || (protocol.type !== REVOKE && protocol.type !== MESSAGE_EDIT)) return false
  const target = await targetOf(socket, envelope, protocol.key)
  if (!target) return true
  if (protocol.type === REVOKE) {
    await markDeleted(instance, target)
    return true
  }
  if (!protocol.editedMessage) return true
  await applyEdit(instance, target, messageToJson(protocol.editedMessage), senderTimeOf(protocol.timestampMs, envelope.messageTimestamp))
  return true
}
