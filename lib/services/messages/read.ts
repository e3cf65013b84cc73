import 'server-only'
import { sqlClient } from '@/lib/db'
import { ApiError } from '@/lib/api/errors'
import { awaitCommand, enqueueCommand } from '@/lib/bus/commands'

type Instance = { id: string; name: string }

export type MessageDetails = {
  key: { remoteJid: string; fromMe: boolean; id: string; participant?: string }
  message: Record<string, unknown>
  messageType: string
  messageTimestamp: number
  pushName: string | null
  status: string
  statusHistory: { status: string; at: string }[]
  error: { code: string; message: string } | null
  media: { mimetype: string; url: string } | null
}

async function findRow(instance: Instance, waId: string) {
  // A WhatsApp id is unique per chat; our own sends are preferred when an id repeats across chats.
  const [row] = await sqlClient()`
    select id, wa_id, remote_jid, from_me, participant, push_name, message_type, message, message_timestamp, status,
           status_history, error_code, error_message, media
    from messages where instance_id = ${instance.id} and wa_id = ${waId}
    order by from_me desc, created_at desc limit 1`
  if (!row) throw new ApiError('not_found', `No message with id "${waId}" on this instance.`)
  return row
}

/** GET messages/{id}: the message with its status history. */
export async function getMessage(instance: Instance, waId: string): Promise<MessageDetails> {
  const row = await findRow(instance, waId)
  return {
    key: { remoteJid: row.remote_jid, fromMe: row.from_me, id: row.wa_id, ...(row.participant ? { participant: row.participant } : {}) },
    message: row.message,
    messageType: row.message_type,
    messageTimestamp: Number(row.message_timestamp),
    pushName: row.push_name,
    status: row.status,
    statusHistory: row.status_history,
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
    media: row.media ? { mimetype: row.media.mimetype, url: `/api/v1/instance/${instance.name}/messages/${row.wa_id}/media` } : null,
  }
}

const DOWNLOAD_TIMEOUT_MS = 60_000

/** GET messages/{id}/media: the decrypted bytes, from our store or downloaded once through the owning worker. */
export async function getMessageMedia(instance: Instance, waId: string): Promise<{ data: Buffer; mimetype: string; fileName: string | null }> {
  const row = await findRow(instance, waId)
  if (!row.media) throw new ApiError('not_found', 'This message has no media.')
  const read = async () => {
    const [media] = await sqlClient()`select data, mimetype, file_name from message_media where message_id = ${row.id}`
    return media ? { data: Buffer.from(media.data), mimetype: media.mimetype, fileName: media.file_name } : undefined
  }
  const stored = await read()
  if (stored) return stored
  const commandId = await enqueueCommand(instance.id, 'download_media', { messageId: row.id })
  await awaitCommand(commandId, DOWNLOAD_TIMEOUT_MS)
  const downloaded = await read()
  if (!downloaded) throw new ApiError('whatsapp_error', 'The media could not be downloaded.')
  return downloaded
}
