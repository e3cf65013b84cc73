import type { MessageStatus } from '@/lib/db/schema/messages'

/** Where the API serves a message's media: the one spelling of that path. */
export function mediaUrl(instanceName: string, waId: string): string {
  return `/api/v1/instance/${instanceName}/messages/${waId}/media`
}

export type MessageKeyJson = { remoteJid: string; fromMe: boolean; id: string; participant?: string }

export function messageKey(message: { remoteJid: string; fromMe: boolean; waId: string; participant?: string | null }): MessageKeyJson {
  return { remoteJid: message.remoteJid, fromMe: message.fromMe, id: message.waId, ...(message.participant ? { participant: message.participant } : {}) }
}

/** MESSAGES_UPSERT data, as the /docs page documents it. */
export function upsertPayload(
  message: { remoteJid: string; fromMe: boolean; waId: string; participant?: string | null; pushName: string | null; messageType: string; message: unknown; messageTimestamp: number },
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
