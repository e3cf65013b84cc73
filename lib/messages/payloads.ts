import type { MessageStatus } from '@/lib/db/schema/messages'

/** Where the API serves a message's media: the one spelling of that path. */
export function mediaUrl(instanceName: string, waId: string): string {
  return `/api/v1/instance/${instanceName}/messages/${waId}/media`
}

export type MessageKeyJson = { remoteJid: string; remoteJidAlt?: string; fromMe: boolean; id: string; participant?: string; participantAlt?: string }

type KeyedMessage = { remoteJid: string; remoteJidAlt?: string | null; fromMe: boolean; waId: string; participant?: string | null; participantAlt?: string | null }

/**
 * A message's key as webhooks and the API show it: `remoteJid` is the contact's phone-number JID
 * whenever the number is known (else its LID), `remoteJidAlt` the LID beside it; in groups
 * `participant` / `participantAlt` the same for the sender.
 */
export function messageKey(message: KeyedMessage): MessageKeyJson {
  return {
    remoteJid: message.remoteJid,
    ...(message.remoteJidAlt ? { remoteJidAlt: message.remoteJidAlt } : {}),
    fromMe: message.fromMe,
    id: message.waId,
    ...(message.participant ? { participant: message.participant } : {}),
    ...(message.participantAlt ? { participantAlt: message.participantAlt } : {}),
  }
}

/** MESSAGES_UPSERT data, as the /docs page documents it. */
export function upsertPayload(
  message: KeyedMessage & { pushName: string | null; messageType: string; message: unknown; messageTimestamp: number },
  options: { instanceName: string; status?: MessageStatus; media?: { mimetype: string } | null },
) {
  return {
    key: messageKey(message),
    pushName: message.pushName,
    messageType: message.messageType,
    message: message.message,
    messageTimestamp: message.messageTimestamp,
    ...(options.status ? { status: options.status } : {}),
    ...(options.media ? { media: { mimetype: options.media.mimetype, url: mediaUrl(options.instanceName, message.waId) } } : {}),
  }
}

/** MESSAGES_UPDATE data for an edit: the message's key, its new content, and when it was edited. */
export function editPayload(message: KeyedMessage & { messageType: string; message: unknown }, editedAt: Date) {
  return { key: messageKey(message), messageType: message.messageType, message: message.message, editedAt: editedAt.toISOString() }
}
