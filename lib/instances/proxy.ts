import 'server-only'
import dns from 'node:dns/promises'
import net from 'node:net'
import type { ProxyProtocol } from './proxy-protocols'
import { decryptSecret, encryptSecret } from '@/lib/crypto/secrets'
import { judgeAddress, type ResolvedAddress, type ResolveHost } from '@/lib/webhooks/url-guard'

/**
 * An instance's proxy: what the customer set, how it is sealed at rest, and the SSRF rule for its
 * host. The worker connects to the proxy itself, so a proxy host is an outbound address like a
 * webhook URL: public only, unless the operator sets PROXY_ALLOW_PRIVATE_HOSTS.
 */
export { PROXY_PROTOCOLS, type ProxyProtocol } from './proxy-protocols'

export type ProxyConfig = {
  protocol: ProxyProtocol
  host: string
  port: number
  username: string | null
  password: string | null
}

/** The sealed value is bound to its instance: a copied blob does not open on another row. */
export function sealProxy(instanceId: string, proxy: ProxyConfig): Buffer {
  return encryptSecret(JSON.stringify(proxy), `proxy:${instanceId}`)
}

export function unsealProxy(instanceId: string, sealed: Buffer): ProxyConfig {
  return JSON.parse(decryptSecret(sealed, `proxy:${instanceId}`).toString('utf8')) as ProxyConfig
}

/** The URL the agent libraries take: credentials percent-encoded, an IPv6 host in brackets. */
export function proxyUrl(proxy: ProxyConfig, hostOverride?: string): string {
  const host = hostOverride ?? proxy.host
  const bracketed = net.isIPv6(host) ? `[${host}]` : host
  const credentials = proxy.username ? `${encodeURIComponent(proxy.username)}${proxy.password ? `:${encodeURIComponent(proxy.password)}` : ''}@` : ''
  return `${proxy.protocol}://${credentials}${bracketed}:${proxy.port}`
}

export class UnsafeProxyError extends Error {}

const systemResolver: ResolveHost = async (hostname) => {
  const answers = await dns.lookup(hostname, { all: true, verbatim: true })
  return answers.map((answer) => ({ address: answer.address, family: answer.family === 6 ? 6 : 4 }))
}

/**
 * Resolves the proxy host and refuses it when any address is not public (unless allowed). Returns
 * the checked addresses, so the worker connects to exactly those.
 */
export async function checkProxyHost(host: string, options: { allowPrivate: boolean; resolveHost?: ResolveHost }): Promise<ResolvedAddress[]> {
  const literal = net.isIP(host) ? host : null
  let addresses: ResolvedAddress[]
  if (literal) addresses = [{ address: literal, family: net.isIPv6(literal) ? 6 : 4 }]
  else {
    try {
      addresses = await (options.resolveHost ?? systemResolver)(host)
    } catch {
      throw new UnsafeProxyError(`The proxy host ${host} could not be resolved`)
    }
    if (addresses.length === 0) throw new UnsafeProxyError(`The proxy host ${host} could not be resolved`)
  }
  for (const { address } of options.allowPrivate ? [] : addresses) {
    const verdict = judgeAddress(address)
    if (!verdict.public) throw new UnsafeProxyError(`The proxy host ${literal ? 'is' : `resolves to ${address}, which is`} ${verdict.reason}; proxies must be on public addresses`)
  }
  return addresses
}
