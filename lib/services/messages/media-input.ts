import 'server-only'
import { fileTypeFromBuffer } from 'file-type'
import type { z } from 'zod'
import { ApiError } from '@/lib/api/errors'
import { containsNul, NUL_MESSAGE, parseWith } from '@/lib/api/validation'
import { config } from '@/lib/config'
import { checkWebhookUrl, UnsafeUrlError } from '@/lib/webhooks/url-guard'
import { SendMediaBody } from '@/lib/api/schemas/messages'
import type { MediaInput } from './send'
import { MEDIA_LIMIT_BYTES } from './media-limits'

type MediaType = z.infer<typeof SendMediaBody>['mediatype']

/** Base64 inside JSON costs a third more and sits in memory whole: larger files go as a URL or multipart. */
export const JSON_MEDIA_MAX_BODY_BYTES = 25 * 1024 * 1024

const DEFAULT_MIMETYPE: Record<MediaType, string> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/ogg; codecs=opus',
  document: 'application/octet-stream',
}

export type SendMediaRequest = { body: z.infer<typeof SendMediaBody>; bytes?: Buffer; url?: string }

function enforceLimit(mediatype: MediaType, size: number): void {
  const limit = MEDIA_LIMIT_BYTES[mediatype]
  if (size > limit) throw new ApiError('payload_too_large', `A ${mediatype} may be at most ${Math.round(limit / 1024 / 1024)} MB; this one is ${(size / 1024 / 1024).toFixed(1)} MB.`)
}

/** Form fields are text: the flags are "true"/"false", quoted and mentions JSON (left as text, and refused by validation, when they are not). */
function typedFormFields(fields: Record<string, string>): Record<string, unknown> {
  const typed: Record<string, unknown> = {}
  for (const flag of ['ptv', 'gif', 'mentionsEveryOne']) if (fields[flag] !== undefined) typed[flag] = fields[flag] === 'true' ? true : fields[flag] === 'false' ? false : fields[flag]
  for (const name of ['quoted', 'mentions']) {
    if (fields[name] === undefined) continue
    try {
      typed[name] = JSON.parse(fields[name])
    } catch {
      typed[name] = fields[name]
    }
  }
  return typed
}

/** JSON (`media` = https URL or base64) or multipart with a `file` part; either way one validated shape. */
export async function readSendMediaRequest(request: Request): Promise<SendMediaRequest> {
  const contentType = request.headers.get('content-type') ?? ''
  if (contentType.startsWith('multipart/form-data')) {
    let form: FormData
    try {
      form = await request.formData()
    } catch {
      throw new ApiError('invalid_request', 'The multipart body could not be read.')
    }
    const file = form.get('file')
    const fields = Object.fromEntries([...form.entries()].filter(([name]) => name !== 'file').map(([name, value]) => [name, String(value)]))
    const body = parseWith(SendMediaBody, { ...fields, ...typedFormFields(fields), delay: fields.delay === undefined ? undefined : Number(fields.delay) }, 'body')
    if (!(file instanceof File)) {
      if (body.media) return await fromJsonMedia(body)
      throw new ApiError('invalid_request', 'Attach the file as a "file" part, or give "media".', [{ field: 'file', message: 'Required' }])
    }
    if (containsNul(file.name)) throw new ApiError('invalid_request', 'The uploaded file name is not usable.', [{ field: 'file', message: `The file name ${NUL_MESSAGE}` }])
    enforceLimit(body.mediatype, file.size)
    return { body: { ...body, fileName: body.fileName ?? file.name, mimetype: body.mimetype ?? (file.type || undefined) }, bytes: Buffer.from(await file.arrayBuffer()) }
  }
  const length = Number(request.headers.get('content-length') ?? 0)
  if (length > JSON_MEDIA_MAX_BODY_BYTES) {
    throw new ApiError('payload_too_large', `JSON bodies are limited to ${JSON_MEDIA_MAX_BODY_BYTES / 1024 / 1024} MB; send larger files as multipart or a URL.`)
  }
  let raw: unknown
  try {
    raw = JSON.parse(await request.text())
  } catch {
    throw new ApiError('invalid_json')
  }
  const body = parseWith(SendMediaBody, raw, 'body')
  return fromJsonMedia(body)
}

/** Base64 data (a `data:` prefix and whitespace allowed) as bytes; anything else is a 400 naming `field`. */
export function base64Bytes(value: string, field: string): Buffer {
  // A data URL may carry parameters before `;base64` (`data:audio/ogg;codecs=opus;base64,`).
  const base64 = value.replace(/^data:[^;,]+(;[^;,]+)*;base64,/, '').replace(/\s/g, '')
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 === 1) {
    throw new ApiError('invalid_request', `${field} must be an https URL or base64 data.`, [{ field, message: 'Not an https URL and not valid base64' }])
  }
  return Buffer.from(base64, 'base64')
}

async function fromJsonMedia(body: z.infer<typeof SendMediaBody>): Promise<SendMediaRequest> {
  if (!body.media) throw new ApiError('invalid_request', 'Give "media" (an https URL or base64), or upload a file.', [{ field: 'media', message: 'Required' }])
  if (/^https?:\/\//i.test(body.media)) return { body, url: await checkedMediaUrl(body.media) }
  const bytes = base64Bytes(body.media, 'media')
  enforceLimit(body.mediatype, bytes.length)
  return { body, bytes }
}

/**
 * The SSRF guard, at request time: an unusable URL is refused now, with the field named, rather than
 * after a worker took the send. The worker checks again before it fetches (DNS may have changed).
 */
export async function checkedMediaUrl(url: string, field = 'media'): Promise<string> {
  try {
    await checkWebhookUrl(url, { allowPrivate: config().WEBHOOK_ALLOW_PRIVATE_URLS })
  } catch (error) {
    if (!(error instanceof UnsafeUrlError)) throw error
    throw new ApiError('invalid_request', `The media URL was refused: ${error.message}.`, [{ field, message: error.message }])
  }
  return url
}

/**
 * A media field of a JSON send (sendSticker's `sticker`, sendWhatsAppAudio's `audio`): an https URL,
 * checked now and fetched by the worker, or base64 data (a data: URL prefix is allowed) within `limit`.
 */
export async function readUrlOrBase64(value: string, field: string, limit: number, what: string): Promise<{ url: string; data?: undefined } | { url?: undefined; data: Buffer }> {
  if (/^https?:\/\//i.test(value)) return { url: await checkedMediaUrl(value, field) }
  const data = base64Bytes(value, field)
  if (data.length > limit) throw new ApiError('payload_too_large', `${what} may be at most ${limit / 1024 / 1024} MB; this one is ${(data.length / 1024 / 1024).toFixed(1)} MB.`)
  return { data }
}

/** The declared mimetype, else sniffed from the bytes, else the media type's default; a mismatch with the bytes is refused. */
export async function resolveMedia(request: SendMediaRequest): Promise<MediaInput | undefined> {
  if (!request.bytes) return undefined
  if (request.bytes.length === 0) throw new ApiError('invalid_request', 'The media is empty.', [{ field: 'media', message: 'Empty file' }])
  const sniffed = await fileTypeFromBuffer(request.bytes)
  const { mediatype } = request.body
  const mimetype = request.body.mimetype ?? sniffed?.mime ?? DEFAULT_MIMETYPE[mediatype]
  if (mediatype !== 'document' && sniffed && !sniffed.mime.startsWith(`${mediatype}/`) && !(mediatype === 'audio' && sniffed.mime === 'video/ogg')) {
    throw new ApiError('invalid_request', `The file looks like ${sniffed.mime}, not ${mediatype}.`, [{ field: 'mediatype', message: `The file is ${sniffed.mime}` }])
  }
  return { data: request.bytes, mimetype, fileName: request.body.fileName }
}

/** The kind of media a file is sent as, by its type: pictures, videos and sound as such, anything else as a document. */
function mediatypeOfFile(mimetype: string): MediaType {
  for (const type of ['image', 'video', 'audio'] as const) if (mimetype.startsWith(`${type}/`)) return type
  return 'document'
}

/** A file picked in the dashboard, through the same limits and checks as an API upload. */
export async function uploadedFile(file: File): Promise<{ mediatype: MediaType; media: MediaInput }> {
  if (containsNul(file.name)) throw new ApiError('invalid_request', 'The file name is not usable.', [{ field: 'file', message: `The file name ${NUL_MESSAGE}` }])
  const mediatype = mediatypeOfFile(file.type)
  enforceLimit(mediatype, file.size)
  const media = await resolveMedia({ body: { mediatype, fileName: file.name, mimetype: file.type || undefined } as SendMediaRequest['body'], bytes: Buffer.from(await file.arrayBuffer()) })
  return { mediatype, media: media! }
}
