import { addressInCidrs, parseAddress } from './cidr'

/** Written by scripts/web-server.mjs from the socket, overwriting whatever the client sent. */
export const PEER_HEADER = 'x-sage-peer-ip'

/**
 * The client's address: the socket peer, unless that peer is one of our trusted proxies, in which
 * case X-Forwarded-For is walked from the right past every trusted hop. A header from an untrusted
 * peer changes nothing.
 */
export function clientIp(headers: Headers, trustedProxies: readonly string[]): string | undefined {
  const peer = canonicalPeer(headers.get(PEER_HEADER) ?? '')
  if (!peer) return undefined
  if (trustedProxies.length === 0 || !addressInCidrs(peer, trustedProxies)) return peer
  const hops = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((hop) => parseAddress(hop)?.toString())
  for (let index = hops.length - 1; index >= 0; index--) {
    const hop = hops[index]
    if (!hop) return peer // a garbled hop: stop believing the chain
    if (!addressInCidrs(hop, trustedProxies)) return hop
  }
  // Every hop is trusted: the leftmost is the originating client.
  return hops[0] ?? peer
}

// The socket address as written by the server, parsed once per distinct value: parsing it showed in
// the data plane's profile, and a busy client calls from the same few addresses.
const MAX_REMEMBERED_PEERS = 10_000
const canonicalPeers = new Map<string, string | undefined>()

function canonicalPeer(raw: string): string | undefined {
  if (canonicalPeers.has(raw)) return canonicalPeers.get(raw)
  const peer = parseAddress(raw)?.toString()
  if (canonicalPeers.size >= MAX_REMEMBERED_PEERS) canonicalPeers.clear()
  canonicalPeers.set(raw, peer)
  return peer
}
