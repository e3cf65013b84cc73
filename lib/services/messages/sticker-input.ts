import 'server-only'
import { fileTypeFromBuffer } from 'file-type'
import { ApiError } from '@/lib/api/errors'
import type { MediaInput } from './send'
import { readUrlOrBase64 } from './media-input'
import { MEDIA_LIMIT_BYTES } from './media-limits'

/** What a sticker can be made from: sent as it is (WebP) or converted by the worker (lib/messages/sticker.ts). */
export const STICKER_SOURCE_TYPES = ['image/webp', 'image/png', 'image/jpeg']

/** sendSticker's `sticker`: a checked URL for the worker to fetch, or the decoded picture. */
export async function readStickerInput(sticker: string): Promise<{ url?: string; media?: MediaInput }> {
  const input = await readUrlOrBase64(sticker, 'sticker', MEDIA_LIMIT_BYTES.sticker, 'A sticker’s picture')
  if (!input.data) return { url: input.url }
  const sniffed = await fileTypeFromBuffer(input.data)
  if (!sniffed || !STICKER_SOURCE_TYPES.includes(sniffed.mime)) {
    throw new ApiError('unsupported_media', `A sticker is made from a WebP, PNG or JPEG picture; this is ${sniffed?.mime ?? 'not a picture'}.`, [{ field: 'sticker', message: 'Not WebP, PNG or JPEG' }])
  }
  return { media: { data: input.data, mimetype: sniffed.mime } }
}
