// Stickers are 512×512 WebP pictures (WhatsApp's sticker format; Baileys sends `{ sticker }` bytes as
// they are). A WebP is kept as it is; a PNG or JPEG is fitted into 512×512 on a transparent canvas.
import sharp from 'sharp'

export const STICKER_SIZE = 512

export class StickerSourceError extends Error {}

export async function stickerWebp(picture: Buffer): Promise<Buffer> {
  let format: string | undefined
  try {
    format = (await sharp(picture).metadata()).format
  } catch {
    throw new StickerSourceError('The sticker is not a picture.')
  }
  if (format === 'webp') return picture
  if (format !== 'png' && format !== 'jpeg') throw new StickerSourceError(`A sticker is made from a WebP, PNG or JPEG picture, not ${format}.`)
  return sharp(picture)
    .resize(STICKER_SIZE, STICKER_SIZE, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .webp()
    .toBuffer()
}
