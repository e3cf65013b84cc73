// `message_media`: a message's media bytes, or the key of the bucket object holding them (state rules: index.ts).
import 'server-only'
import type { TransactionSql } from 'postgres'
import { sqlClient } from '../sql'
import type { StoredMedia } from './row'

type MediaRow = { data: Buffer | null; storage_key: string | null; mimetype: string; file_name: string | null }

/** What `messages.media` says of it (GET messages/{id}, webhooks). */
export function mediaInfo(media: StoredMedia): { mimetype: string; fileName: string | null; size: number } {
  return { mimetype: media.mimetype, fileName: media.fileName, size: media.size }
}

/** Writes the media of a message once: a second writer (a retried fetch, a racing download) changes nothing. */
export async function insertMedia(tx: TransactionSql, messageId: string, media: StoredMedia): Promise<void> {
  await tx`
    insert into message_media (message_id, data, storage_key, mimetype, file_name)
    values (${messageId}, ${media.data}, ${media.storageKey}, ${media.mimetype}, ${media.fileName})
    on conflict (message_id) do nothing`
}

/** The message's stored media, undefined when it has none (not yet downloaded, or pruned). */
export async function storedMedia(messageId: string): Promise<StoredMedia | undefined> {
  const [row] = await sqlClient()<MediaRow[]>`
    select data, storage_key, mimetype, file_name from message_media where message_id = ${messageId}`
  if (!row) return undefined
  const described = { mimetype: row.mimetype, fileName: row.file_name ?? null }
  if (row.storage_key !== null) return { ...described, data: null, storageKey: row.storage_key, size: 0 }
  const data = Buffer.from(row.data!)
  return { ...described, data, storageKey: null, size: data.length }
}

export async function hasStoredMedia(messageId: string): Promise<boolean> {
  const [row] = await sqlClient()`select 1 from message_media where message_id = ${messageId}`
  return Boolean(row)
}

/** Received media, cached on its first download (a second download racing it changes nothing). */
export async function cacheMedia(messageId: string, media: StoredMedia): Promise<void> {
  await sqlClient().begin((tx) => insertMedia(tx, messageId, media))
}

/**
 * `sage media:move-to-s3`: the next media still held in Postgres, with the account they belong to,
 * oldest first; `after` is the last message id of the previous batch.
 */
export async function mediaInPostgres(
  batch: number,
  after: string | null,
): Promise<{ messageId: string; userId: string; instanceId: string; data: Buffer; mimetype: string }[]> {
  const sql = sqlClient()
  const rows = await sql`
    select media.message_id, messages.user_id, messages.instance_id, media.data, media.mimetype
    from message_media media join messages on messages.id = media.message_id
    where media.data is not null ${after ? sql`and media.message_id > ${after}` : sql``}
    order by media.message_id limit ${batch}`
  return rows.map((row) => ({ messageId: row.message_id, userId: row.user_id, instanceId: row.instance_id, data: Buffer.from(row.data), mimetype: row.mimetype }))
}

/** The bytes are now in the bucket under `storageKey`: the row points at the object and drops its bytes. */
export async function markMediaMoved(messageId: string, storageKey: string): Promise<boolean> {
  const rows = await sqlClient()`
    update message_media set storage_key = ${storageKey}, data = null where message_id = ${messageId} and data is not null returning 1`
  return rows.length > 0
}
