import 'server-only'
import dns from 'node:dns/promises'
import net from 'node:net'
import type { LookupFunction } from 'node:net'
import ipaddr from 'ipaddr.js'

/**
 * SSRF guard for webhook URLs. A customer's URL must not make our worker talk to our own network:
 * loopback, private, link-local (cloud metadata at 169.254.169.254), CGNAT, unique-local
 * (fd00:ec2::254), multicast, unspecified and other special ranges are refused unless
 * WEBHOOK_ALLOW_PRIVATE_URLS, and so is every IPv6 form that carries one of those IPv4 addresses. The check runs when a URL is saved and again before every attempt,
 * and the attempt connects to exactly the addresses that were checked (no second DNS answer to
 * rebind to).
 */

export type ResolvedAddress = { address: string; family: 4 | 6 }
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>
export type UrlGuardOptions = { allowPrivate: boolean; resolveHost?: ResolveHost }

export class UnsafeUrlError extends Error {}

export const MAX_URL_LENGTH = 2048

/** The system's DNS (getaddrinfo), every answer. */
export const systemResolver: ResolveHost = async (hostname) => {
  const answers = await dns.lookup(hostname, { all: true, verbatim: true })
  return answers.map((answer) => ({ address: answer.address, family: answer.family === 6 ? 6 : 4 }))
}

/**
 * IPv6 forms that carry an IPv4 address, and where it sits. One rule covers them all: such an address
 * is only as public as every IPv4 address inside it, because that is where the packets end up (a
 * host's own dual stack, a NAT64 gateway, a 6to4 relay, a Teredo server/client).
 */
type Embedding = { name: string; prefix: [ipaddr.IPv6, number]; ipv4s: (bytes: number[]) => number[][] }
const v6 = (cidr: string) => ipaddr.IPv6.parseCIDR(cidr) as [ipaddr.IPv6, number]
const EMBEDDINGS: Embedding[] = [
  { name: 'IPv4-mapped', prefix: v6('::ffff:0:0/96'), ipv4s: (b) => [b.slice(12, 16)] },
  { name: 'IPv4-translated', prefix: v6('::ffff:0:0:0/96'), ipv4s: (b) => [b.slice(12, 16)] },
  // IPv4-compatible (deprecated, but still routed by some stacks); :: and ::1 are judged as themselves.
  { name: 'IPv4-compatible', prefix: v6('::/96'), ipv4s: (b) => [b.slice(12, 16)] },
  { name: 'NAT64', prefix: v6('64:ff9b::/96'), ipv4s: (b) => [b.slice(12, 16)] },
  { name: '6to4', prefix: v6('2002::/16'), ipv4s: (b) => [b.slice(2, 6)] },
  // Teredo: the server's address as is, the client's inverted (RFC 4380).
  { name: 'Teredo', prefix: v6('2001::/32'), ipv4s: (b) => [b.slice(4, 8), b.slice(12, 16).map((byte) => byte ^ 0xff)] },
]
/** RFC 8215's local-use NAT64 prefix: the operator picks the prefix length, so the IPv4 address cannot be located. */
const LOCAL_NAT64 = v6('64:ff9b:1::/48')

export type AddressVerdict = { public: true } | { public: false; reason: string }

/** `unicast` is ipaddr.js's name for "none of the special ranges": the public internet. */
export function judgeAddress(address: string): AddressVerdict {
  const parsed = ipaddr.parse(address)
  if (parsed.kind() === 'ipv4') return judgeRange(parsed.range())
  const ipv6 = parsed as ipaddr.IPv6
  const own = ipv6.range()
  if (own === 'loopback' || own === 'unspecified') return judgeRange(own)
  if (ipv6.match(LOCAL_NAT64)) return { public: false, reason: 'a local-use NAT64 address (64:ff9b:1::/48), which may carry any IPv4 address' }
  const embedding = EMBEDDINGS.find((candidate) => ipv6.match(candidate.prefix))
  if (!embedding) return judgeRange(own)
  for (const bytes of embedding.ipv4s(ipv6.toByteArray())) {
    const ipv4 = ipaddr.fromByteArray(bytes) as ipaddr.IPv4
    const verdict = judgeRange(ipv4.range())
    if (!verdict.public) return { public: false, reason: `an IPv6 address (${embedding.name}) that embeds ${ipv4.toString()}, ${verdict.reason}` }
  }
  return { public: true }
}

export function isPublicAddress(address: string): boolean {
  return judgeAddress(address).public
}

/**
 * The checks that need no network: an absolute http(s) URL without credentials. Returns a reason
 * when the URL is unusable, else null. (http is decided later, once the address is known.)
 */
export function urlShapeProblem(value: string): string | null {
  if (value.length > MAX_URL_LENGTH) return `The URL is longer than ${MAX_URL_LENGTH} characters`
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'Enter an absolute URL, like https://example.com/webhooks/sage'
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The URL must start with https://'
  if (url.username || url.password) return 'Put no credentials in the URL; check the signature instead'
  if (!url.hostname) return 'The URL has no host'
  return null
}

function hostAddress(url: URL): string | null {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
  return net.isIP(host) ? host : null
}

const RANGE_NAMES: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  linkLocal: 'a link-local address (cloud metadata lives there)',
  uniqueLocal: 'a private (unique-local) address',
  carrierGradeNat: 'a carrier-grade NAT address',
  multicast: 'a multicast address',
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
}

function judgeRange(range: string): AddressVerdict {
  return range === 'unicast' ? { public: true } : { public: false, reason: RANGE_NAMES[range] ?? `a reserved address (${range})` }
}

/**
 * Resolves the URL's host and checks every address it resolves to (one bad answer is enough to
 * refuse: an attacker controls which one a later lookup returns). Throws UnsafeUrlError with a
 * sentence a user can act on; returns the checked addresses for the connection to be pinned to.
 */
export async function checkWebhookUrl(value: string, options: UrlGuardOptions): Promise<{ url: URL; addresses: ResolvedAddress[] }> {
  const problem = urlShapeProblem(value)
  if (problem) throw new UnsafeUrlError(problem)
  const url = new URL(value)
  const literal = hostAddress(url)
  let addresses: ResolvedAddress[]
  if (literal) {
    addresses = [{ address: literal, family: net.isIPv6(literal) ? 6 : 4 }]
  } else {
    try {
      addresses = await (options.resolveHost ?? systemResolver)(url.hostname)
    } catch {
      throw new UnsafeUrlError(`The host ${url.hostname} could not be resolved`)
    }
    if (addresses.length === 0) throw new UnsafeUrlError(`The host ${url.hostname} could not be resolved`)
  }
  const nonPublic = addresses
    .map((answer) => ({ address: answer.address, verdict: judgeAddress(answer.address) }))
    .find((answer) => !answer.verdict.public)
  if (nonPublic && !nonPublic.verdict.public && !options.allowPrivate) {
    const what = nonPublic.verdict.reason
    const via = literal ? '' : ` resolves to ${nonPublic.address}, which is`
    throw new UnsafeUrlError(`The URL's host${via} ${literal ? `is ${what}` : what}; webhooks only go to public addresses`)
  }
  if (url.protocol === 'http:' && (!options.allowPrivate || !nonPublic)) {
    throw new UnsafeUrlError('The URL must use https:// (plain http is only allowed for local test receivers)')
  }
  return { url, addresses }
}

/** A `lookup` for net/tls.connect that answers with the already-checked addresses and nothing else. */
export function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return ((_hostname: string, options: { all?: boolean; family?: number }, callback: (...args: unknown[]) => void) => {
    const wanted = options?.family === 4 || options?.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses
    const usable = wanted.length ? wanted : addresses
    if (options?.all) callback(null, usable.map((a) => ({ address: a.address, family: a.family })))
    else callback(null, usable[0].address, usable[0].family)
  }) as LookupFunction
}
