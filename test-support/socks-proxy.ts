// A tiny SOCKS5 proxy (RFC 1928, CONNECT only; username/password per RFC 1929) that counts what goes
// through it, for the per-instance proxy tests. Same shape as the CONNECT proxy (connect-proxy.ts).
import net from 'node:net'
import { listenCounting, relayTunnel, type ConnectProxy, type ProxyTunnel } from './connect-proxy'

const VERSION = 5
const NO_AUTH = 0
const USER_PASS = 2
const NO_ACCEPTABLE = 0xff

/** Listens on 127.0.0.1. With `credentials`, only username/password authentication with those is accepted. */
export async function startSocksProxy(options: { credentials?: { username: string; password: string } } = {}): Promise<ConnectProxy> {
  let refusing = false
  const tunnels: ProxyTunnel[] = []
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => client.destroy())
    void handshake(client).catch(() => client.destroy())
  })

  async function handshake(client: net.Socket): Promise<void> {
    const read = reader(client)
    const [version, methodCount] = await read(2)
    if (version !== VERSION) return void client.destroy()
    const methods = [...(await read(methodCount))]
    const wanted = options.credentials ? USER_PASS : NO_AUTH
    if (!methods.includes(wanted)) return void client.end(Buffer.from([VERSION, NO_ACCEPTABLE]))
    client.write(Buffer.from([VERSION, wanted]))
    let authorized = true
    if (options.credentials) {
      const [, userLength] = await read(2)
      const username = (await read(userLength)).toString()
      const [passwordLength] = await read(1)
      const password = (await read(passwordLength)).toString()
      authorized = username === options.credentials.username && password === options.credentials.password
      client.write(Buffer.from([1, authorized ? 0 : 1]))
    }
    const [, command, , addressType] = await read(4)
    const host =
      addressType === 1 ? [...(await read(4))].join('.') : addressType === 3 ? (await read((await read(1))[0])).toString() : addressType === 4 ? ipv6(await read(16)) : undefined
    // 0x08: address type not supported.
    if (host === undefined) return void client.end(reply(8))
    const port = (await read(2)).readUInt16BE(0)
    const tunnel: ProxyTunnel = { target: `${host}:${port}`, authorized, bytesUp: 0, bytesDown: 0, open: false }
    tunnels.push(tunnel)
    // 0x02: connection not allowed by ruleset; 0x07: command not supported.
    if (!authorized || refusing) return void client.end(reply(2))
    if (command !== 1) return void client.end(reply(7))
    relayTunnel({ client, tunnel, sockets, host, port }, {
      established: () => {
        client.write(reply(0))
        return read.rest()
      },
      // 0x05: connection refused.
      failed: () => client.end(reply(5)),
    })
  }

  return listenCounting(server, tunnels, sockets, (value) => {
    refusing = value
  })
}

function reply(status: number): Buffer {
  return Buffer.from([VERSION, status, 0, 1, 0, 0, 0, 0, 0, 0])
}

function ipv6(bytes: Buffer): string {
  return Array.from({ length: 8 }, (_, index) => bytes.readUInt16BE(index * 2).toString(16)).join(':')
}

/** Reads exact byte counts off a socket during the handshake; `rest()` hands over what arrived beyond it and stops reading. */
function reader(socket: net.Socket) {
  let buffered = Buffer.alloc(0)
  let waiting: { count: number; resolve: (bytes: Buffer) => void; reject: (error: Error) => void } | null = null
  socket.once('close', () => waiting?.reject(new Error('closed during the handshake')))
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk])
    settle()
  }
  const settle = () => {
    if (waiting && buffered.length >= waiting.count) {
      const { count, resolve } = waiting
      waiting = null
      const bytes = buffered.subarray(0, count)
      buffered = buffered.subarray(count)
      resolve(bytes)
    }
  }
  socket.on('data', onData)
  const read = (count: number) =>
    new Promise<Buffer>((resolve, reject) => {
      if (waiting) return reject(new Error('one read at a time'))
      waiting = { count, resolve, reject }
      settle()
    })
  return Object.assign(read, {
    rest: () => {
      socket.off('data', onData)
      const rest = buffered
      buffered = Buffer.alloc(0)
      return rest
    },
  })
}
