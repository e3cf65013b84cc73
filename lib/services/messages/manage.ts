import 'server-only'
import { ApiError } from '@/lib/api/errors'
import { runCommand } from '@/lib/bus/commands'
import { sendability } from '@/lib/store/instances'
import { findByWaId, type Message } from '@/lib/store/messages'
import { getMessage, type MessageDetails } from './read'
import { sendMessage, type MessageResponse, type SendInput, type SendingInstance } from './send'

type Instance = { id: string; name: string }

/** WhatsApp's own limit: a message can be edited for 15 minutes after it was sent. */
export const EDIT_WINDOW_SECONDS = 15 * 60
const COMMAND_TIMEOUT_MS = 20_000
/** What WhatsApp lets its apps edit: a text, or the caption of an image, video or document. */
const EDITABLE_TYPES = new Set(['conversation', 'extendedTextMessage', 'imageMessage', 'videoMessage', 'documentMessage'])
/** Contents a WhatsApp app offers to forward (not reactions, polls or protocol messages). */
const FORWARDABLE = new Set([
  ...EDITABLE_TYPES,
  'audioMessage',
  'stickerMessage',
  'locationMessage',
  'contactMessage',
  'contactsArrayMessage',
])

async function requireOpen(instance: Instance): Promise<void> {
  if (!(await sendability(instance.id)).open) throw new ApiError('instance_not_connected', `The instance "${instance.name}" is not connected to WhatsApp.`)
}

async function storedMessage(instance: Instance, waId: string): Promise<Message> {
  const message = await findByWaId(instance.id, waId)
  if (!message || message.deletedAt) throw new ApiError('not_found', `No message with id "${waId}" on this instance${message ? ' (it was deleted)' : ''}.`)
  return message
}

/** chat/updateMessage: a new text (or caption) for a message this instance sent, within WhatsApp's window. */
export async function editMessage(instance: Instance, input: { id: string; text: string }): Promise<MessageDetails> {
  const message = await storedMessage(instance, input.id)
  if (!message.fromMe) throw new ApiError('forbidden', 'Only messages this instance sent can be edited.')
  if (!EDITABLE_TYPES.has(message.messageType)) {
    throw new ApiError('invalid_request', `A ${message.messageType} cannot be edited: only texts and the captions of images, videos and documents.`, [
      { field: 'key.id', message: 'not a text or captioned media message' },
    ])
  }
  if (!message.sentAt && message.viaApi) throw new ApiError('not_found', 'This message was never sent.')
  if (Date.now() / 1000 - message.messageTimestamp > EDIT_WINDOW_SECONDS) throw new ApiError('edit_window_closed')
  await requireOpen(instance)
  await runCommand(instance.id, 'edit_message', { messageId: message.id, text: input.text }, COMMAND_TIMEOUT_MS)
  return getMessage(instance, input.id)
}

/** chat/deleteMessageForEveryone: our own message, or anyone's in a group this instance is an admin of. */
export async function deleteForEveryone(instance: Instance, input: { id: string }): Promise<MessageDetails> {
  const message = await storedMessage(instance, input.id)
  if (!message.fromMe && !message.remoteJid.endsWith('@g.us')) {
    throw new ApiError('forbidden', 'Only messages this instance sent can be deleted for everyone here; in a group an admin may delete any.')
  }
  await requireOpen(instance)
  await runCommand(instance.id, 'revoke_message', { messageId: message.id }, COMMAND_TIMEOUT_MS)
  return getMessage(instance, input.id)
}

/** message/forward: a stored message (sent or received, not deleted) sent again to `to`, marked "Forwarded". */
export async function forwardMessage(
  instance: SendingInstance,
  input: { to: string; id: string; delayMs?: number; sendAt?: string; priority?: SendInput['priority'] },
): Promise<MessageResponse> {
  const message = await storedMessage(instance, input.id)
  if (!FORWARDABLE.has(message.messageType)) {
    throw new ApiError('invalid_request', `A ${message.messageType} cannot be forwarded.`, [{ field: 'key.id', message: 'not a message WhatsApp forwards' }])
  }
  return sendMessage(instance, { to: input.to, content: { kind: 'forward', message: message.message }, delayMs: input.delayMs, sendAt: input.sendAt, priority: input.priority })
}
