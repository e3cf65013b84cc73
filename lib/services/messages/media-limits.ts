/** WhatsApp's own size limits per kind of media. */
export const MEDIA_LIMIT_BYTES = {
  image: 16 * 1024 * 1024,
  video: 16 * 1024 * 1024,
  audio: 16 * 1024 * 1024,
  document: 100 * 1024 * 1024,
  /** The picture a sticker is made from (the sticker itself, a 512×512 WebP, is far smaller). */
  sticker: 16 * 1024 * 1024,
} as const
