/** Proxy protocols an instance may use (kept apart from proxy.ts, which is server-only, for client-side forms). */
export const PROXY_PROTOCOLS = ['http', 'https', 'socks5'] as const
export type ProxyProtocol = (typeof PROXY_PROTOCOLS)[number]
