// Reads WhatsApp Web's current version from the version source: WA_VERSION_URL (SSRF-guarded, like
// every URL we fetch) or, unset, WhatsApp's own through Baileys' fetchLatestWaWebVersion.
import { fetchLatestWaWebVersion, type WAVersion } from '@whiskeysockets/baileys'
import { Agent, fetch } from 'undici'
import { checkWebhookUrl, pinnedLookup } from '@/lib/webhooks/url-guard'

const FETCH_TIMEOUT_MS = 10_000
/** WhatsApp's service worker script is a few hundred KB; anything far larger is not a version. */
const MAX_BODY_BYTES = 5 * 1024 * 1024

/** "2.3000.1023456789" → its three numbers (each a uint32, as the login's ClientPayload carries them), else null. */
export function parseVersion(text: string): WAVersion | null {
  if (!/^\d{1,10}\.\d{1,10}\.\d{1,10}$/.test(text)) return null
  const parts = text.split('.').map(Number)
  return parts.every((part) => part <= 0xffffffff) ? (parts as WAVersion) : null
}

export function formatVersion(version: WAVersion): string {
  return version.join('.')
}

/**
 * The version in a source's answer: WhatsApp's service worker script names only the revision
 * (`"client_revision": N`, quotes escaped or not, the pattern Baileys' fetchLatestWaWebVersion uses
 * in node_modules/@whiskeysockets/baileys/lib/Utils/generics.js; the version is then 2.3000.N), or
 * the body is the version itself, like `2.3000.1023456789`.
 */
export function versionInBody(body: string): WAVersion | null {
  const revision = /\\?"client_revision\\?":\s*(\d{1,10})/.exec(body)?.[1]
  if (revision) return parseVersion(`2.3000.${revision}`)
  return parseVersion(body.trim())
}

export class VersionSourceError extends Error {}

/** Asks the source once, within a timeout; throws VersionSourceError with a reason a log can show. */
export async function fetchSourceVersion(options: { url?: string; allowPrivate: boolean }): Promise<WAVersion> {
  if (!options.url) {
    const answer = await fetchLatestWaWebVersion({ signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
    if (!answer.isLatest) throw new VersionSourceError(`WhatsApp's version could not be read: ${describe(answer.error)}`)
    return answer.version
  }
  let checked
  try {
    checked = await checkWebhookUrl(options.url, { allowPrivate: options.allowPrivate })
  } catch (error) {
    throw new VersionSourceError(`WA_VERSION_URL was refused: ${describe(error)}`)
  }
  const dispatcher = new Agent({ connect: { lookup: pinnedLookup(checked.addresses) } })
  try {
    const response = await fetch(checked.url, { redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), dispatcher })
    if (!response.ok) throw new VersionSourceError(`WA_VERSION_URL answered ${response.status}`)
    const body = await response.text()
    if (body.length > MAX_BODY_BYTES) throw new VersionSourceError('WA_VERSION_URL answered with a body too large to be a version')
    const version = versionInBody(body)
    if (!version) throw new VersionSourceError('WA_VERSION_URL answered without a version (neither "client_revision": N nor a version like 2.3000.1023456789)')
    return version
  } catch (error) {
    if (error instanceof VersionSourceError) throw error
    throw new VersionSourceError(`WA_VERSION_URL could not be fetched: ${describe(error)}`)
  } finally {
    await dispatcher.close()
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return (error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message) || error.name
  return (error as { message?: string } | undefined)?.message ?? String(error)
}
