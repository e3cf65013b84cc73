// An instance's proxy as the agents Baileys takes: `agent` for the WhatsApp socket, `fetchAgent`
// for media uploads, and an undici dispatcher for media downloads.
import type { Agent as HttpAgent } from 'node:http'
import type { Agent as HttpsAgent } from 'node:https'
import { HttpsProxyAgent } from 'https-proxy-agent'
import { SocksProxyAgent } from 'socks-proxy-agent'
import { SocksClient } from 'socks'
import { Agent as FetchAgent, ProxyAgent as FetchProxyAgent, buildConnector, type Dispatcher } from 'undici'
import { checkProxyHost, proxyUrl, type ProxyConfig } from '@/lib/instances/proxy'

export type ProxyAgents = {
  /** makeWASocket({ agent }): the WebSocket to WhatsApp is tunnelled through the proxy. */
  agent: HttpsAgent
  /** makeWASocket({ fetchAgent }): media uploads go through it too. */
  fetchAgent: HttpsAgent
  /** downloadMediaMessage(…, { options: { dispatcher } }): media downloads go through it as well. */
  dispatcher: Dispatcher
}

export type ProxyFailureListener = (reason: string) => void

/**
 * Builds the agents, connecting to the proxy at the address checked against the SSRF rule (no
 * second DNS answer to rebind to). Every failed tunnel of the WhatsApp socket, and every CONNECT
 * the proxy answers with anything but 200, is reported to `onFailure`, so the session can say the
 * proxy is the problem (a failed media transfer fails only that transfer).
 */
export async function proxyAgents(proxy: ProxyConfig, options: { allowPrivate: boolean; ca?: string[]; onFailure: ProxyFailureListener }): Promise<ProxyAgents> {
  const [address] = await checkProxyHost(proxy.host, { allowPrivate: options.allowPrivate })
  const url = proxyUrl(proxy, address.address)
  const tlsToProxy = proxy.protocol === 'https' ? { servername: proxy.host, ...(options.ca ? { ca: options.ca } : {}) } : {}
  // Baileys types its agents as https.Agent; these are http.Agents that tunnel either protocol.
  const make = (onFailure: ProxyFailureListener): HttpsAgent => {
    const agent = proxy.protocol === 'socks5' ? new SocksProxyAgent(url.replace(/^socks5:/, 'socks5h:')) : new HttpsProxyAgent(url, tlsToProxy)
    observe(agent, { ca: options.ca, onFailure })
    return agent as unknown as HttpsAgent
  }
  const dispatcher =
    proxy.protocol === 'socks5'
      ? socksDispatcher(proxy, address.address, options.ca)
      : new FetchProxyAgent({
          uri: proxyUrl({ ...proxy, username: null, password: null }, address.address),
          ...(proxy.username ? { token: `Basic ${Buffer.from(`${proxy.username}:${proxy.password ?? ''}`).toString('base64')}` } : {}),
          ...(options.ca ? { requestTls: { ca: options.ca }, proxyTls: { ca: options.ca, servername: proxy.host } } : {}),
        })
  return { agent: make(options.onFailure), fetchAgent: make(() => {}), dispatcher }
}

/**
 * fetch (undici) takes no http.Agent and undici has no SOCKS proxy agent: its connector opens each
 * connection as a SOCKS5 CONNECT to the proxy (credentials per RFC 1929; the media host's name is
 * resolved by the proxy, as socks5h does for the socket), then TLS to the media host inside it.
 */
function socksDispatcher(proxy: ProxyConfig, proxyAddress: string, ca: string[] | undefined): Dispatcher {
  const tlsInside = buildConnector(ca ? { ca } : {})
  return new FetchAgent({
    connect: (connectOptions, callback) => {
      const https = connectOptions.protocol === 'https:'
      SocksClient.createConnection({
        proxy: { host: proxyAddress, port: proxy.port, type: 5, ...(proxy.username ? { userId: proxy.username, password: proxy.password ?? '' } : {}) },
        command: 'connect',
        destination: { host: connectOptions.hostname, port: Number(connectOptions.port) || (https ? 443 : 80) },
        timeout: 15_000,
      }).then(
        ({ socket }) => (https ? tlsInside({ ...connectOptions, httpSocket: socket }, callback) : callback(null, socket)),
        (error: Error) => callback(error, null),
      )
    },
  })
}

type Connectable = { connect: (request: unknown, options: Record<string, unknown>) => Promise<unknown> }

/** Wraps the agent's tunnel set-up: failures are reported, and media TLS trusts the configured CAs. */
function observe(agent: HttpAgent, options: { ca?: string[]; onFailure: ProxyFailureListener }): void {
  const target = agent as unknown as Connectable & { on?: (event: string, listener: (...args: unknown[]) => void) => void }
  const original = target.connect.bind(agent)
  target.connect = async (request, connectOptions) => {
    try {
      return await original(request, options.ca ? { ...connectOptions, ca: options.ca } : connectOptions)
    } catch (error) {
      options.onFailure(`could not be used (${error instanceof Error ? error.message : String(error)})`)
      throw error
    }
  }
  // https-proxy-agent does not throw on a refused CONNECT: it hands the proxy's answer to the request.
  target.on?.('proxyConnect', (connect: unknown) => {
    const status = (connect as { statusCode?: number }).statusCode
    if (status !== 200) options.onFailure(`refused the tunnel (HTTP ${status ?? '?'})`)
  })
}
