// A tiny HTTP CONNECT proxy that counts what goes through it, for the per-instance proxy tests.
import http from 'node:http'
import net from 'node:net'
import type { AddressInfo } from 'node:net'

export type ProxyTunnel = { target: string; authorized: boolean; bytesUp: number; bytesDown: number; open: boolean }

export type ConnectProxy = {
  host: string
  port: number
  /** Every CONNECT asked for, in order (refused ones too). */
  tunnels: ProxyTunnel[]
  /** Bytes carried so far, both ways, over every tunnel. */
  bytes: () => number
  /** From now on answer every CONNECT with 403 (or, with false, tunnel again). */
  refuse: (refusing: boolean) => void
  close: () => Promise<void>
}

/**
 * Listens on 127.0.0.1. With `credentials`, a CONNECT without the matching Basic
 * Proxy-Authorization is answered 407; with `refuse`, every CONNECT is answered 403.
 */
export async function startConnectProxy(options: { credentials?: { username: string; password: string }; refuse?: boolean } = {}): Promise<ConnectProxy> {
  let refusing = Boolean(options.refuse)
  const tunnels: ProxyTunnel[] = []
  const sockets = new Set<net.Socket>()
  const expected = options.credentials ? `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}` : null
  const server = http.createServer((_request, response) => response.writeHead(405).end())
  server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => client.destroy())
    const authorized = !expected || request.headers['proxy-authorization'] === expected
    const tunnel: ProxyTunnel = { target: request.url ?? '', authorized, bytesUp: 0, bytesDown: 0, open: false }
    tunnels.push(tunnel)
    if (refusing) return void client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n')
    if (!authorized) return void client.end('HTTP/1.1 407 Proxy Authentication Required\r\nproxy-authenticate: Basic realm="test"\r\ncontent-length: 0\r\n\r\n')
    const [host, port] = splitTarget(tunnel.target)
    relayTunnel({ client, tunnel, sockets, host, port }, {
      established: () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        return head
      },
      failed: () => client.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n'),
    })
  })
  return listenCounting(server, tunnels, sockets, (value) => {
    refusing = value
  })
}

/**
 * Connects the tunnel to its target and relays both ways, counting bytes. `established` answers
 * the client and returns bytes it sent ahead of the answer (forwarded first); `failed` answers when
 * the target cannot be reached.
 */
export function relayTunnel(
  { client, tunnel, sockets, host, port }: { client: net.Socket; tunnel: ProxyTunnel; sockets: Set<net.Socket>; host: string; port: number },
  answer: { established: () => Buffer; failed: () => void },
): void {
  const upstream = net.connect(port, host, () => {
    tunnel.open = true
    const ahead = answer.established()
    if (ahead.length) {
      tunnel.bytesUp += ahead.length
      upstream.write(ahead)
    }
    client.on('data', (chunk: Buffer) => (tunnel.bytesUp += chunk.length))
    upstream.on('data', (chunk: Buffer) => (tunnel.bytesDown += chunk.length))
    client.pipe(upstream)
    upstream.pipe(client)
  })
  sockets.add(upstream)
  upstream.on('close', () => {
    sockets.delete(upstream)
    tunnel.open = false
    client.destroy()
  })
  upstream.on('error', answer.failed)
  client.on('close', () => upstream.destroy())
}

/** Listens on 127.0.0.1 and hands back the proxy's handle; close() also ends every open tunnel. */
export async function listenCounting(server: net.Server, tunnels: ProxyTunnel[], sockets: Set<net.Socket>, setRefusing: (refusing: boolean) => void): Promise<ConnectProxy> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    host: '127.0.0.1',
    port,
    tunnels,
    bytes: () => tunnels.reduce((sum, tunnel) => sum + tunnel.bytesUp + tunnel.bytesDown, 0),
    refuse: setRefusing,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

function splitTarget(target: string): [string, number] {
  const index = target.lastIndexOf(':')
  return [target.slice(0, index).replace(/^\[|\]$/g, ''), Number(target.slice(index + 1))]
}
