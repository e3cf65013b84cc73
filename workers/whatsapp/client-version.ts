// The WhatsApp Web version every socket of this worker announces at login. WhatsApp refuses clients
// it considers outdated (login failure 405), so the version is read from the version source at
// start, every 24 h and after such a refusal, and shared through Postgres (`wa_client_version`) so
// that every worker announces the same one and a worker that cannot reach the source falls back to
// the last one known (or, with none, to the one Baileys ships). WA_VERSION pins it instead.
import { DEFAULT_CONNECTION_CONFIG, type WAVersion } from '@whiskeysockets/baileys'
import type { Logger } from '@/lib/log'
import { readClientVersion, saveClientVersion, saveClientVersionIfNone } from '@/lib/store/wa-client-version'
import { fetchSourceVersion, formatVersion, parseVersion } from './version-source'

const REFRESH_MS = 24 * 3600 * 1000
/** How long a worker's copy is trusted before the shared row is read again (another worker may have found a newer one). */
const SHARED_ROW_TTL_MS = 60_000
/** After a refusal, the source is asked again at most this often, doubling up to the maximum while nothing newer turns up. */
const RECHECK_MIN_MS = 2_000
const RECHECK_MAX_MS = 10 * 60_000

export const BUNDLED_VERSION: WAVersion = DEFAULT_CONNECTION_CONFIG.version

export type ClientVersionOptions = {
  /** WA_VERSION, already validated by lib/config.ts. */
  pinned?: string
  /** WA_VERSION_URL; unset: WhatsApp's own. */
  url?: string
  /** WEBHOOK_ALLOW_PRIVATE_URLS: the SSRF guard lets a version source on a private address through. */
  allowPrivate: boolean
  log: Logger
}

export class ClientVersion {
  private version: WAVersion = BUNDLED_VERSION
  private readonly pinned: WAVersion | null
  private rowReadAt = 0
  private timer: NodeJS.Timeout | undefined
  private recheck: Promise<void> | undefined
  private nextRecheckAt = 0
  private recheckGapMs = RECHECK_MIN_MS

  constructor(private readonly options: ClientVersionOptions) {
    this.pinned = options.pinned ? parseVersion(options.pinned) : null
  }

  /** Reads the source once (the database must answer: a refusal to start is retried by the caller), then every 24 h. */
  async start(): Promise<void> {
    await this.refresh()
    this.timer = setInterval(() => void this.refresh().catch((error) => this.options.log.warn({ err: error }, 'WhatsApp Web version refresh failed')), REFRESH_MS)
    this.timer.unref()
  }

  /** WA_VERSION decides: a refusal can only be cured by pinning a newer one. */
  get isPinned(): boolean {
    return this.pinned !== null
  }

  stop(): void {
    clearInterval(this.timer)
  }

  /** The version for the next socket. */
  async current(): Promise<WAVersion> {
    if (this.pinned) return this.pinned
    if (Date.now() - this.rowReadAt > SHARED_ROW_TTL_MS) {
      try {
        const row = await readClientVersion()
        const stored = row && parseVersion(row.version)
        if (stored) this.version = stored
        this.rowReadAt = Date.now()
      } catch (error) {
        this.options.log.warn({ err: error }, 'could not read the shared WhatsApp Web version; keeping this worker’s copy')
      }
    }
    return this.version
  }

  /** Asks the source; on failure keeps the last version known to the fleet, or records Baileys' own when there is none. */
  async refresh(): Promise<void> {
    if (this.pinned) {
      await saveClientVersion(formatVersion(this.pinned), 'pinned')
      this.options.log.info({ version: formatVersion(this.pinned) }, 'WhatsApp Web version pinned by WA_VERSION')
      return
    }
    const source = this.options.url ? 'WA_VERSION_URL' : 'WhatsApp'
    let fetched: WAVersion
    try {
      fetched = await fetchSourceVersion({ url: this.options.url, allowPrivate: this.options.allowPrivate })
    } catch (error) {
      const known = await saveClientVersionIfNone(formatVersion(BUNDLED_VERSION), 'bundled')
      this.adopt(parseVersion(known.version) ?? BUNDLED_VERSION)
      this.options.log.warn({ err: error, source, version: known.version, from: known.source }, 'WhatsApp Web version source unreachable; using the last known version')
      return
    }
    await saveClientVersion(formatVersion(fetched), 'fetched')
    this.adopt(fetched)
    this.options.log.info({ source, version: formatVersion(fetched) }, 'WhatsApp Web version read from its source')
  }

  /**
   * WhatsApp refused `refused` as outdated: the source is asked again, once for every session that
   * hit the refusal meanwhile, and less often while it keeps serving the same version. Resolves
   * when the next attempt may start (with whatever `current()` then answers).
   */
  async afterRefusal(refused: WAVersion): Promise<void> {
    if (this.pinned) return
    if (formatVersion(await this.current()) !== formatVersion(refused)) return
    if (this.recheck) return this.recheck
    if (Date.now() < this.nextRecheckAt) {
      this.rowReadAt = 0 // another worker may have found a newer one meanwhile
      return
    }
    this.recheck = (async () => {
      const before = formatVersion(this.version)
      await this.refresh()
      this.recheckGapMs = formatVersion(this.version) === before ? Math.min(this.recheckGapMs * 2, RECHECK_MAX_MS) : RECHECK_MIN_MS
      this.nextRecheckAt = Date.now() + this.recheckGapMs
    })()
      .catch((error) => this.options.log.warn({ err: error }, 'WhatsApp Web version re-check failed'))
      .finally(() => {
        this.recheck = undefined
      })
    return this.recheck
  }

  private adopt(version: WAVersion): void {
    this.version = version
    this.rowReadAt = Date.now()
  }
}
