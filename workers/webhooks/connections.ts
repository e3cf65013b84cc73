import { Agent } from 'undici'
import { checkWebhookUrl, pinnedLookup, systemResolver, type ResolvedAddress, type ResolveHost } from '@/lib/webhooks/url-guard'

/**
 * Kept-alive connections to customers' receivers, within the SSRF rules (lib/webhooks/url-guard.ts).
 * Every attempt still runs the guard on its URL; what is reused is:
 *
 * - the DNS answer for a host, for `recheckMs` (then the host is resolved and judged again), and
 * - one undici Agent per origin *and* set of approved addresses, whose connections can only be made
 *   to those addresses (`pinnedLookup`). A host whose answer changes gets a new Agent, judged anew;
 *   the old one's connections are closed once idle. So a kept-alive connection always leads to an
 *   address the guard approved, and never to a later, unjudged DNS answer.
 *
 * Redirects are never followed (undici's `request` does not), as before.
 */
export type PinnedTarget = { url: URL; agent: Agent }

type Entry = { agent: Agent; lastUsedAt: number }

export class PinnedConnections {
  private readonly answers = new Map<string, { addresses: Promise<ResolvedAddress[]>; expiresAt: number }>()
  private readonly agents = new Map<string, Entry>()
  private readonly sweeper: NodeJS.Timeout
  private readonly resolveHost: ResolveHost

  constructor(
    private readonly options: { allowPrivate: boolean; timeoutMs: number; recheckMs: number; resolveHost?: ResolveHost; idleCloseMs?: number },
  ) {
    const resolve = options.resolveHost ?? systemResolver
    this.resolveHost = (hostname) => this.cachedAnswer(hostname, resolve)
    const idleCloseMs = options.idleCloseMs ?? 60_000
    this.sweeper = setInterval(() => this.closeIdle(idleCloseMs), Math.min(idleCloseMs, 30_000))
    this.sweeper.unref()
  }

  /** Runs the guard on the URL; throws UnsafeUrlError as `checkWebhookUrl` does. */
  async target(url: string): Promise<PinnedTarget> {
    const checked = await checkWebhookUrl(url, { allowPrivate: this.options.allowPrivate, resolveHost: this.resolveHost })
    const key = `${checked.url.origin}|${checked.addresses.map((a) => `${a.family}/${a.address}`).join(',')}`
    let entry = this.agents.get(key)
    if (!entry) {
      entry = {
        agent: new Agent({
          connect: { lookup: pinnedLookup(checked.addresses), timeout: this.options.timeoutMs },
          headersTimeout: this.options.timeoutMs,
          bodyTimeout: this.options.timeoutMs,
        }),
        lastUsedAt: Date.now(),
      }
      this.agents.set(key, entry)
    }
    entry.lastUsedAt = Date.now()
    return { url: checked.url, agent: entry.agent }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper)
    const entries = [...this.agents.values()]
    this.agents.clear()
    await Promise.all(entries.map((entry) => entry.agent.destroy().catch(() => {})))
  }

  private cachedAnswer(hostname: string, resolve: ResolveHost): Promise<ResolvedAddress[]> {
    const cached = this.answers.get(hostname)
    if (cached && cached.expiresAt > Date.now()) return cached.addresses
    const addresses = resolve(hostname)
    this.answers.set(hostname, { addresses, expiresAt: Date.now() + this.options.recheckMs })
    // A failed lookup is not remembered: the next attempt asks again.
    addresses.catch(() => {
      if (this.answers.get(hostname)?.addresses === addresses) this.answers.delete(hostname)
    })
    return addresses
  }

  private closeIdle(idleCloseMs: number): void {
    const now = Date.now()
    for (const [key, entry] of this.agents) {
      if (now - entry.lastUsedAt < idleCloseMs) continue
      this.agents.delete(key)
      entry.agent.close().catch(() => {})
    }
    for (const [hostname, answer] of this.answers) if (answer.expiresAt <= now) this.answers.delete(hostname)
  }
}
