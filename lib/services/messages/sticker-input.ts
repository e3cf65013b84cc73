import 'server-only'
import { fileTypeFromBuffer } from 'file-type'
import { ApiError } from '@/lib/api/errors'
import type { MediaInput } from './send'
import { base64Bytes, checkedMediaUrl } from './media-input'
import { MEDIA_LIMIT_BYTES } from './media-limits'

/** What a sticker can be made from: sent as it is (WebP) or converted by the worker (lib/messages/sticker.ts). */
export const STICKER_SOURCE_TYPES = ['image/webp', 'image/png', 'image/jpeg']

/** sendSticker's `sticker`: a checked URL for the worker to fetch, or the decoded picture. */
export async function readStickerInput(sticker: string): Promise<{ url?: string; media?: MediaInput }> {
  if (/^https?:\/\//i.test(sticker)) return { url: await checkedMediaUrl(sticker, 'sticker') }
  const data = base64Bytes(sticker, 'sticker')
  const limit = MEDIA_LIMIT_BYTES.sticker
  if (data.length > limit) throw new ApiError('payload_too_large', `A sticker's picture may be at most ${limit / 1024 / 1024} MB; this one is ${(data.length / 1024 / 1024).toFixed(1)} MB.`)
  const sniffed = await fileTypeFromBuffer(data)
  if (!sniffed || !STICKER_SOURCE_TYPES.includes(sniffed.mime)) {
    throw new ApiError('unsupported_media', `A sticker is made from a WebP, PNG or JPEG picture; this is ${sniffed?.mime ?? 'not a picture'}.`, [{ field: 'sticker', message: 'Not WebP, PNG or JPEG' }])
  }
  return { media: { data, mimetype: sniffed.mime } }
}
