import { Agent, request } from 'undici'
import { APP_VERSION } from '@/lib/config'
import { checkWebhookUrl, pinnedLookup, UnsafeUrlError, type ResolveHost } from '@/lib/webhooks/url-guard'
import type { PinnedConnections, PinnedTarget } from './connections'

/** The first bytes of a response kept in the attempt log (the delivery page shows them). */
export const SNIPPET_BYTES = 2048
export const USER_AGENT = `SAGE-API-Webhooks/${APP_VERSION} (+https://sageai.kavachbrowser.com)`

export type AttemptResult = {
  ok: boolean
  /** What was sent, headers as on the wire (the body is the delivery's own, the same on every attempt). */
  requestHeaders: Record<string, string>
  statusCode: number | null
  latencyMs: number
  responseSnippet: string | null
  error: string | null
}

/**
 * One POST to a customer's URL. The URL is re-checked (SSRF) right before, and the connection is
 * pinned to the addresses that check saw. 2xx within `timeoutMs` is success; a redirect is a
 * failure (never followed); only the first bytes of the response are read, for the delivery log.
 * With `connections` (the dispatcher's) the connection may be a kept-alive one to the same
 * approved addresses (workers/webhooks/connections.ts); without, it is a new one, closed after.
 */
export async function attemptDelivery(input: {
  url: string
  headers: Record<string, string>
  body: string
  timeoutMs: number
  allowPrivate: boolean
  resolveHost?: ResolveHost
  connections?: PinnedConnections
}): Promise<AttemptResult> {
  const requestHeaders = { ...input.headers, 'content-type': 'application/json', 'user-agent': USER_AGENT }
  const startedAt = performance.now()
  const elapsed = () => Math.round(performance.now() - startedAt)
  let target: PinnedTarget
  let ownAgent: Agent | null = null
  try {
    if (input.connections) target = await input.connections.target(input.url)
    else {
      const checked = await checkWebhookUrl(input.url, { allowPrivate: input.allowPrivate, resolveHost: input.resolveHost })
      ownAgent = new Agent({
        connect: { lookup: pinnedLookup(checked.addresses), timeout: input.timeoutMs },
        headersTimeout: input.timeoutMs,
        bodyTimeout: input.timeoutMs,
        pipelining: 0,
      })
      target = { url: checked.url, agent: ownAgent }
    }
  } catch (error) {
    const message = error instanceof UnsafeUrlError ? `Refused: ${error.message}` : `Refused: ${String(error)}`
    return { ok: false, requestHeaders, statusCode: null, latencyMs: elapsed(), responseSnippet: null, error: message }
  }

  // A deadline cleared as soon as the attempt ends: AbortSignal.timeout would keep a timer and its
  // signal alive for the whole timeout after every delivery (thousands at once under load).
  const deadline = new AbortController()
  const timer = setTimeout(() => deadline.abort(new DOMException('The attempt timed out', 'TimeoutError')), input.timeoutMs)
  try {
    const response = await request(target.url, {
      method: 'POST',
      dispatcher: target.agent,
      signal: deadline.signal,
      headers: requestHeaders,
      body: input.body,
    })
    const latencyMs = elapsed()
    const snippet = await readSnippet(response.body)
    const ok = response.statusCode >= 200 && response.statusCode < 300
    return { ok, requestHeaders, statusCode: response.statusCode, latencyMs, responseSnippet: snippet, error: ok ? null : `HTTP ${response.statusCode}` }
  } catch (error) {
    return { ok: false, requestHeaders, statusCode: null, latencyMs: elapsed(), responseSnippet: null, error: describeError(error, input.timeoutMs) }
  } finally {
    clearTimeout(timer)
    ownAgent?.destroy().catch(() => {})
  }
}

async function readSnippet(body: AsyncIterable<Buffer> & { destroy: () => void }): Promise<string | null> {
  const chunks: Buffer[] = []
  let size = 0
  let readToEnd = false
  try {
    for await (const chunk of body) {
      chunks.push(chunk)
      size += chunk.length
      if (size >= SNIPPET_BYTES) break
    }
    readToEnd = size < SNIPPET_BYTES
  } catch {
    // A body cut short still leaves the bytes read so far; the status already decided the outcome.
  } finally {
    // A body read to its end leaves a kept-alive connection reusable; one cut short closes it.
    if (!readToEnd) body.destroy()
  }
  if (size === 0) return null
  return Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString('utf8').replace(/\uFFFD+$/, '')
}

function describeError(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } }
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError' || err?.code === 'UND_ERR_HEADERS_TIMEOUT' || err?.code === 'UND_ERR_CONNECT_TIMEOUT') {
    return `Timed out: no response within ${timeoutMs / 1000} s`
  }
  const code = err?.code ?? err?.cause?.code
  const names: Record<string, string> = {
    ECONNREFUSED: 'Connection refused',
    ECONNRESET: 'Connection reset by the receiver',
    ENOTFOUND: 'Host not found',
    EHOSTUNREACH: 'Host unreachable',
    CERT_HAS_EXPIRED: 'TLS certificate expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'Self-signed TLS certificate',
    UND_ERR_SOCKET: 'Connection closed by the receiver',
  }
  if (code && names[code]) return names[code]
  return `${code ? `${code}: ` : ''}${err?.message ?? String(error)}`.slice(0, 300)
}
