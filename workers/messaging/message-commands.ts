// Commands that change a message already sent: edit our own, delete for everyone. Both go to WhatsApp
// as a protocolMessage naming the message by its key (Baileys `{ edit: key }` / `{ delete: key }`,
// node_modules/@whiskeysockets/baileys/lib/Utils/messages.js); the stored row is updated once
// WhatsApp took it, so GET messages/{id} shows the change when the request returns.
import type { WAMessageKey, WASocket } from '@whiskeysockets/baileys'
import { applyEdit, findById, markDeleted, type Message, type MessageTarget } from '@/lib/store/messages'
import { messageKey } from '@/lib/messages/payloads'
import { CommandError, type CommandHandler } from '@/workers/instances/commands'
import { messageToJson } from '@/workers/whatsapp/events'
import { isOwn, ownIdentity } from '@/workers/whatsapp/edits'

function openSocket(context: Parameters<CommandHandler>[0]): WASocket {
  const socket = context.session.socket
  if (!socket || !context.session.isOpen) throw new CommandError('instance_not_connected', 'The instance is not connected to WhatsApp.')
  return socket
}

async function storedMessage(context: Parameters<CommandHandler>[0]): Promise<Message> {
  const row = await findById(context.session.instance.id, String(context.payload.messageId))
  if (!row) throw new CommandError('not_found', 'The message is gone.')
  return row
}

/** The key as WhatsApp names the message from our side: the chat, our own flag, and in groups its author. */
function wireKey(row: Message): WAMessageKey {
  return { remoteJid: row.remoteJid, fromMe: row.fromMe, id: row.waId, ...(row.fromMe || !row.participant ? {} : { participant: row.participant }) }
}

function targetOf(row: Message): MessageTarget {
  return { chats: [row.remoteJid, row.remoteJidAlt].filter((jid): jid is string => !!jid), id: row.waId, fromMe: row.fromMe, key: messageKey(row) }
}

/** Whether this instance is an admin of the group, as WhatsApp answers now (participants are named by number or LID). */
async function isGroupAdmin(socket: WASocket, groupJid: string): Promise<boolean> {
  const own = ownIdentity(socket)
  const metadata = await socket.groupMetadata(groupJid)
  const me = metadata.participants.find((participant) => [participant.id, participant.phoneNumber, participant.lid].some((jid) => isOwn(jid, own)))
  return !!me?.admin
}

export function messageHandlers(): Record<string, CommandHandler> {
  return {
    edit_message: async (context) => {
      const socket = openSocket(context)
      const row = await storedMessage(context)
      const sent = await socket.sendMessage(row.remoteJid, { text: String(context.payload.text), edit: wireKey(row) })
      const edited = sent?.message?.protocolMessage?.editedMessage
      if (edited) await applyEdit(context.session.instance, targetOf(row), messageToJson(edited), new Date())
      return { edited: true }
    },
    revoke_message: async (context) => {
      const socket = openSocket(context)
      const row = await storedMessage(context)
      if (!row.fromMe && !(await isGroupAdmin(socket, row.remoteJid))) {
        throw new CommandError('not_group_admin', 'Only a group admin may delete someone else’s message, and this instance is not one.')
      }
      await socket.sendMessage(row.remoteJid, { delete: wireKey(row) })
      await markDeleted(context.session.instance, targetOf(row))
      return { deleted: true }
    },
  }
}
