// Media bytes in object storage (S3_BUCKET): the one place that talks to the bucket. Any
// S3-compatible store works through the AWS SDK's S3 client; without S3_BUCKET media stay in Postgres.
import 'server-only'
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { config } from '@/lib/config'

/** The bucket refused or could not be reached: a send with media fails with this (503 media_storage_unavailable). */
export class MediaStorageError extends Error {
  constructor(action: string, cause: unknown) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)
    super(`The media store refused to ${action} (${reason}).`, { cause })
    this.name = 'MediaStorageError'
  }
}

type Bucket = { client: S3Client; name: string }
let cached: Bucket | null | undefined

/** The configured bucket, or undefined: media then stay in Postgres. */
export function mediaBucket(): Bucket | undefined {
  if (cached !== undefined) return cached ?? undefined
  const settings = config()
  if (!settings.S3_BUCKET) {
    cached = null
    return undefined
  }
  const credentials =
    settings.S3_ACCESS_KEY_ID && settings.S3_SECRET_ACCESS_KEY
      ? { accessKeyId: settings.S3_ACCESS_KEY_ID, secretAccessKey: settings.S3_SECRET_ACCESS_KEY }
      : undefined
  const client = new S3Client({
    region: settings.S3_REGION ?? 'us-east-1',
    ...(settings.S3_ENDPOINT ? { endpoint: settings.S3_ENDPOINT, forcePathStyle: true } : {}),
    ...(credentials ? { credentials } : {}),
    // Checksums only where S3 requires them: many S3-compatible stores reject the SDK's newer
    // default (CRC32 trailers on every upload).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 2,
  })
  cached = { client, name: settings.S3_BUCKET }
  return cached
}

/** Every object of an account lives under its prefix, so deleting the account can sweep it whole. */
export function accountMediaPrefix(userId: string): string {
  return `media/${userId}/`
}

export function instanceMediaPrefix(userId: string, instanceId: string): string {
  return `${accountMediaPrefix(userId)}${instanceId}/`
}

/** A message's media object: named by its row id, so moving or re-uploading it lands on the same key. */
export function mediaObjectKey(owner: { userId: string; instanceId: string }, messageId: string): string {
  return `${instanceMediaPrefix(owner.userId, owner.instanceId)}${messageId}`
}

export async function putMediaObject(bucket: Bucket, key: string, data: Buffer, mimetype: string): Promise<void> {
  try {
    await bucket.client.send(new PutObjectCommand({ Bucket: bucket.name, Key: key, Body: data, ContentType: mimetype, ContentLength: data.length }))
  } catch (error) {
    throw new MediaStorageError('store the file', error)
  }
}

/** The object's bytes as a stream with its length; undefined when it is gone. */
export async function openMediaObject(bucket: Bucket, key: string): Promise<{ body: ReadableStream<Uint8Array>; size: number } | undefined> {
  try {
    const object = await bucket.client.send(new GetObjectCommand({ Bucket: bucket.name, Key: key }))
    if (!object.Body) return undefined
    return { body: object.Body.transformToWebStream(), size: Number(object.ContentLength ?? 0) }
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined
    throw new MediaStorageError('give back the file', error)
  }
}

export async function readMediaObject(bucket: Bucket, key: string): Promise<Buffer | undefined> {
  const opened = await openMediaObject(bucket, key)
  if (!opened) return undefined
  return Buffer.from(await new Response(opened.body).arrayBuffer())
}

/** Deletes these objects (at most 1,000 a request, S3's limit); a key already gone is no error. */
export async function deleteMediaObjects(bucket: Bucket, keys: string[]): Promise<void> {
  for (let start = 0; start < keys.length; start += 1000) {
    const chunk = keys.slice(start, start + 1000)
    let result
    try {
      result = await bucket.client.send(new DeleteObjectsCommand({ Bucket: bucket.name, Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true } }))
    } catch (error) {
      throw new MediaStorageError('delete files', error)
    }
    if (result.Errors?.length) throw new MediaStorageError('delete files', new Error(result.Errors.map((e) => `${e.Key}: ${e.Code}`).join(', ')))
  }
}

/** Deletes every object under the prefix (an account's whole media); the number deleted. */
export async function deleteMediaUnder(bucket: Bucket, prefix: string): Promise<number> {
  let deleted = 0
  for (;;) {
    let page
    try {
      page = await bucket.client.send(new ListObjectsV2Command({ Bucket: bucket.name, Prefix: prefix, MaxKeys: 1000 }))
    } catch (error) {
      throw new MediaStorageError('list files', error)
    }
    const keys = (page.Contents ?? []).map((object) => object.Key).filter((key): key is string => Boolean(key))
    if (keys.length === 0) return deleted
    await deleteMediaObjects(bucket, keys)
    deleted += keys.length
  }
}
