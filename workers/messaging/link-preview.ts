// Link previews for sendText's `linkPreview`: the first link's page and image are fetched here, through
// the same SSRF guard and pinned fetch as media URLs (media-fetch.ts), with small size and time
// limits, and the HTML handed to link-preview-js's `getPreviewFromContent` (its own fetcher resolves
// DNS again after checking, so it never fetches for us). Any failure means no preview, never an error.
// The package's main entry loads an undici that needs Node 22; its fetch-free entry is all we use.
import { getPreviewFromContent } from 'link-preview-js/mobile'
import sharp from 'sharp'
import { fetchMediaUrl } from './media-fetch'

const PAGE_MAX_BYTES = 512 * 1024
const IMAGE_MAX_BYTES = 2 * 1024 * 1024
const FETCH_TIMEOUT_MS = 5_000
/** Baileys' own thumbnail width for link previews (Utils/link-preview.js). */
const THUMBNAIL_WIDTH_PX = 192

/** What Baileys puts into the extendedTextMessage (its `linkPreview` content field). */
export type LinkPreview = { 'matched-text': string; 'canonical-url': string; title: string; description?: string; jpegThumbnail?: Buffer }

export function firstLink(text: string): string | undefined {
  return text.match(/https?:\/\/[^\s<>"']+/i)?.[0]
}

export async function linkPreviewOf(text: string, options: { allowPrivate: boolean }): Promise<LinkPreview | undefined> {
  const link = firstLink(text)
  if (!link) return undefined
  try {
    const page = await fetchMediaUrl(link, 'document', { allowPrivate: options.allowPrivate, maxBytes: PAGE_MAX_BYTES, timeoutMs: FETCH_TIMEOUT_MS })
    if (!page.mimetype.includes('html')) return undefined
    const preview = await getPreviewFromContent({ url: link, headers: { 'content-type': page.mimetype }, data: page.data.toString('utf8') })
    if (!('title' in preview) || !preview.title) return undefined
    const image = 'images' in preview ? preview.images[0] : undefined
    return {
      'matched-text': link,
      'canonical-url': preview.url || link,
      title: preview.title,
      description: 'description' in preview ? preview.description : undefined,
      jpegThumbnail: image ? await thumbnailOf(image, options) : undefined,
    }
  } catch {
    return undefined
  }
}

async function thumbnailOf(url: string, options: { allowPrivate: boolean }): Promise<Buffer | undefined> {
  try {
    const image = await fetchMediaUrl(url, 'image', { allowPrivate: options.allowPrivate, maxBytes: IMAGE_MAX_BYTES, timeoutMs: FETCH_TIMEOUT_MS })
    return await sharp(image.data).resize(THUMBNAIL_WIDTH_PX).jpeg({ quality: 70 }).toBuffer()
  } catch {
    return undefined
  }
}
