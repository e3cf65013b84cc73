// Where a message's media bytes go and come from: the bucket when S3_BUCKET is set (lib/media/bucket.ts),
// Postgres otherwise. Web (uploads, downloads), worker (URL fetches, received media, sending) and CLI use it.
import 'server-only'
import { log } from '@/lib/log'
import { storedMedia, type MediaBytes, type StoredMedia } from '@/lib/store/messages'
import { accountMediaPrefix, deleteMediaObjects, deleteMediaUnder, instanceMediaPrefix, MediaStorageError, mediaBucket, mediaObjectKey, openMediaObject, putMediaObject, readMediaObject } from './bucket'

/**
 * Keeps the bytes where this deployment keeps media: uploaded to the bucket under the message's key
 * (MediaStorageError when the bucket refuses: nothing is recorded then), or handed back to be written
 * into Postgres with the row.
 */
export async function placeMedia(instance: { id: string; userId: string }, messageId: string, media: MediaBytes): Promise<StoredMedia> {
  const described = { mimetype: media.mimetype, fileName: media.fileName, size: media.data.length }
  const bucket = mediaBucket()
  if (!bucket) return { ...described, data: media.data, storageKey: null }
  const key = mediaObjectKey({ userId: instance.userId, instanceId: instance.id }, messageId)
  await putMediaObject(bucket, key, media.data, media.mimetype)
  return { ...described, data: null, storageKey: key }
}

/** A message's media whole, for the worker to hand to Baileys. */
export async function readMediaFile(messageId: string): Promise<MediaBytes | undefined> {
  const stored = await storedMedia(messageId)
  if (!stored) return undefined
  if (stored.data) return { data: stored.data, mimetype: stored.mimetype, fileName: stored.fileName }
  const data = await readMediaObject(requireBucket(), stored.storageKey)
  return data ? { data, mimetype: stored.mimetype, fileName: stored.fileName } : undefined
}

export type MediaDownload = { body: ReadableStream<Uint8Array> | Uint8Array<ArrayBuffer>; size: number; mimetype: string; fileName: string | null }

/** A message's media for GET messages/{id}/media: streamed from the bucket, never held whole in the web process. */
export async function openMediaFile(messageId: string): Promise<MediaDownload | undefined> {
  const stored = await storedMedia(messageId)
  if (!stored) return undefined
  const described = { mimetype: stored.mimetype, fileName: stored.fileName }
  if (stored.data) return { ...described, body: new Uint8Array(stored.data), size: stored.data.length }
  const opened = await openMediaObject(requireBucket(), stored.storageKey)
  return opened ? { ...described, ...opened } : undefined
}

/**
 * Deletes the bucket objects of media rows already deleted (retention, an erased instance). Their rows
 * are gone, so a failure here only leaves objects behind: it is logged, and an account's deletion
 * sweeps its whole prefix anyway.
 */
export async function forgetMediaObjects(keys: string[]): Promise<void> {
  if (keys.length === 0) return
  const bucket = mediaBucket()
  if (!bucket) {
    log.warn({ objects: keys.length }, 'media rows pointed at bucket objects but S3_BUCKET is not set; the objects stay in the bucket')
    return
  }
  try {
    await deleteMediaObjects(bucket, keys)
  } catch (error) {
    log.warn({ err: error, objects: keys.length }, 'could not delete pruned media objects; they stay in the bucket')
  }
}

/** Deletes an object placed for a send that was not recorded after all (the insert failed, or an earlier attempt's row was found). */
export async function discardPlacedMedia(media: StoredMedia | undefined): Promise<void> {
  if (media?.storageKey) await forgetMediaObjects([media.storageKey])
}

/**
 * After an instance is deleted (its rows went by cascade): every object under its prefix. A failure
 * is logged; the objects stay until the account is deleted.
 */
export async function forgetInstanceMedia(userId: string, instanceId: string): Promise<void> {
  const bucket = mediaBucket()
  if (!bucket) return
  try {
    await deleteMediaUnder(bucket, instanceMediaPrefix(userId, instanceId))
  } catch (error) {
    log.warn({ err: error, instanceId }, 'could not delete the deleted instance’s media objects; they stay in the bucket')
  }
}

/** Account deletion: every object of the account, whatever wrote it; throws when the bucket refuses, so the deletion can be retried. */
export async function eraseAccountMedia(userId: string): Promise<number> {
  const bucket = mediaBucket()
  return bucket ? deleteMediaUnder(bucket, accountMediaPrefix(userId)) : 0
}

function requireBucket() {
  const bucket = mediaBucket()
  if (!bucket) throw new MediaStorageError('give back the file', new Error('this media is in object storage, but S3_BUCKET is not set'))
  return bucket
}
