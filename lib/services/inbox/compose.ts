// The Inbox's composer: text and files go out through sendMessage, the service behind the API's
// sendText and sendMedia, with the same checks (connected, sandbox room, media limits and types).
import 'server-only'
import { uploadedFile } from '@/lib/services/messages/media-input'
import { sendMessage, type MessageResponse } from '@/lib/services/messages/send'
import { chatJids } from '@/lib/services/chats/find'

type Instance = { id: string; name: string; userId: string; sandbox: boolean }

/** sendMessage takes a number or a JID (a group, a LID); a chat's number JID is given as its number. */
async function recipientOf(instance: Instance, chat: string): Promise<string> {
  const [jid] = (await chatJids(instance, { remoteJid: chat }))!
  return jid.endsWith('@s.whatsapp.net') ? jid.slice(0, jid.indexOf('@')).split(':')[0] : jid
}

export async function sendInboxText(instance: Instance, input: { chat: string; text: string }): Promise<MessageResponse> {
  return sendMessage(instance, { to: await recipientOf(instance, input.chat), content: { kind: 'text', text: input.text } })
}

export async function sendInboxFile(instance: Instance, input: { chat: string; file: File; caption?: string }): Promise<MessageResponse> {
  const to = await recipientOf(instance, input.chat)
  const { mediatype, media } = await uploadedFile(input.file)
  return sendMessage(instance, {
    to,
    content: { kind: 'media', mediatype, mimetype: media.mimetype, caption: input.caption, fileName: mediatype === 'document' ? media.fileName : undefined },
    media,
  })
}
