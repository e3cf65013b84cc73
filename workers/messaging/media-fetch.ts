// Fetches a media URL for sending: SSRF-guarded, pinned to the checked address, size- and time-limited.
import { Agent, fetch } from 'undici'
import { checkWebhookUrl, pinnedLookup, UnsafeUrlError } from '@/lib/webhooks/url-guard'
import { MEDIA_LIMIT_BYTES } from '@/lib/services/messages/media-limits'

const FETCH_TIMEOUT_MS = 30_000

export class MediaFetchError extends Error {
  constructor(
    readonly code: 'invalid_request' | 'payload_too_large',
    message: string,
  ) {
    super(message)
  }
}

export async function fetchMediaUrl(
  url: string,
  mediatype: keyof typeof MEDIA_LIMIT_BYTES,
  options: { allowPrivate: boolean; maxBytes?: number; timeoutMs?: number },
): Promise<{ data: Buffer; mimetype: string; fileName: string | null }> {
  let checked
  try {
    checked = await checkWebhookUrl(url, { allowPrivate: options.allowPrivate })
  } catch (error) {
    if (error instanceof UnsafeUrlError) throw new MediaFetchError('invalid_request', `The media URL was refused: ${error.message}`)
    throw error
  }
  const limit = options.maxBytes ?? MEDIA_LIMIT_BYTES[mediatype]
  const dispatcher = new Agent({ connect: { lookup: pinnedLookup(checked.addresses) } })
  try {
    const response = await fetch(checked.url, { redirect: 'error', signal: AbortSignal.timeout(options.timeoutMs ?? FETCH_TIMEOUT_MS), dispatcher })
    if (!response.ok || !response.body) throw new MediaFetchError('invalid_request', `The media URL answered ${response.status}.`)
    if (Number(response.headers.get('content-length') ?? 0) > limit) {
      throw new MediaFetchError('payload_too_large', `The ${mediatype} at the URL is over WhatsApp's ${limit / 1024 / 1024} MB limit.`)
    }
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of response.body) {
      size += chunk.length
      if (size > limit) throw new MediaFetchError('payload_too_large', `The ${mediatype} at the URL is over WhatsApp's ${limit / 1024 / 1024} MB limit.`)
      chunks.push(Buffer.from(chunk))
    }
    const mimetype = (response.headers.get('content-type') ?? 'application/octet-stream').split(';')[0].trim()
    const fileName = decodeURIComponent(checked.url.pathname.split('/').pop() || '') || null
    return { data: Buffer.concat(chunks), mimetype, fileName }
  } catch (error) {
    if (error instanceof MediaFetchError) throw error
    throw new MediaFetchError('invalid_request', `The media URL could not be fetched: ${error instanceof Error ? error.message : String(error)}`)
  } finally {
    await dispatcher.close()
  }
}
