import 'server-only'
import { ApiError } from '@/lib/api/errors'
import { runCommand } from '@/lib/bus/commands'
import { mediaUrl, messageKey, type MessageKeyJson } from '@/lib/messages/payloads'
import { MediaStorageError } from '@/lib/media/bucket'
import { openMediaFile, type MediaDownload } from '@/lib/media/files'
import { findByWaId, type Message } from '@/lib/store/messages'
import { pollOf, type PollTally } from '@/lib/messages/polls'
import { pollTally } from '@/lib/store/poll-votes'

type Instance = { id: string; name: string }

export type MessageDetails = {
  key: MessageKeyJson
  message: Record<string, unknown>
  messageType: string
  messageTimestamp: number
  pushName: string | null
  status: string
  statusHistory: { status: string; at: string }[]
  error: { code: string; message: string } | null
  media: { mimetype: string; url: string } | null
  editedAt: string | null
  editHistory: { message: Record<string, unknown>; messageType: string; replacedAt: string }[]
  deletedAt: string | null
  poll?: PollTally
}

async function findMessage(instance: Instance, waId: string): Promise<Message> {
  const message = await findByWaId(instance.id, waId)
  if (!message) throw new ApiError('not_found', `No message with id "${waId}" on this instance.`)
  return message
}

/** GET messages/{id}: the message with its status history. */
export async function getMessage(instance: Instance, waId: string): Promise<MessageDetails> {
  const message = await findMessage(instance, waId)
  const poll = pollOf(message.message)
  return {
    key: messageKey(message),
    message: message.message,
    messageType: message.messageType,
    messageTimestamp: message.messageTimestamp,
    pushName: message.pushName,
    status: message.status,
    statusHistory: message.statusHistory,
    error: message.error,
    media: message.media ? { mimetype: message.media.mimetype, url: mediaUrl(instance.name, message.waId) } : null,
    editedAt: message.editedAt?.toISOString() ?? null,
    editHistory: message.editHistory,
    deletedAt: message.deletedAt?.toISOString() ?? null,
    ...(poll ? { poll: await pollTally(instance.id, message.id, poll) } : {}),
  }
}

const DOWNLOAD_TIMEOUT_MS = 60_000

/**
 * GET messages/{id}/media: the decrypted bytes, from our store (Postgres, or streamed from the bucket)
 * or downloaded once through the owning worker, which stores them.
 */
export async function getMessageMedia(instance: Instance, waId: string): Promise<MediaDownload> {
  const message = await findMessage(instance, waId)
  if (!message.media) throw new ApiError('not_found', 'This message has no media.')
  const stored = await openStored(message.id)
  if (stored) return stored
  await runCommand(instance.id, 'download_media', { messageId: message.id }, DOWNLOAD_TIMEOUT_MS)
  const downloaded = await openStored(message.id)
  if (!downloaded) throw new ApiError('whatsapp_error', 'The media could not be downloaded.')
  return downloaded
}

async function openStored(messageId: string): Promise<MediaDownload | undefined> {
  try {
    return await openMediaFile(messageId)
  } catch (error) {
    if (error instanceof MediaStorageError) throw new ApiError('media_storage_unavailable', error.message)
    throw error
  }
}
