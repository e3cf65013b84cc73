// A TCP proxy in front of Postgres that a test can take down (every connection cut, new ones
// refused) and bring back: a database that blinks, or is not there yet, on demand.
import net from 'node:net'

export type DatabaseProxy = {
  /** DATABASE_URL through the proxy. */
  url: string
  /** Cuts every open connection and refuses new ones until up(). */
  down: () => void
  up: () => void
  /** Connections accepted so far (refused ones not counted). */
  readonly accepted: number
  close: () => Promise<void>
}

export async function startDatabaseProxy(databaseUrl: string, options: { startDown?: boolean } = {}): Promise<DatabaseProxy> {
  const target = new URL(databaseUrl)
  let isUp = !options.startDown
  let accepted = 0
  const open = new Set<net.Socket>()
  const server = net.createServer((client) => {
    if (!isUp) {
      client.destroy()
      return
    }
    accepted++
    const upstream = net.connect(Number(target.port || 5432), target.hostname)
    open.add(client).add(upstream)
    client.pipe(upstream)
    upstream.pipe(client)
    const closeBoth = () => {
      client.destroy()
      upstream.destroy()
      open.delete(client)
      open.delete(upstream)
    }
    client.on('close', closeBoth).on('error', closeBoth)
    upstream.on('close', closeBoth).on('error', closeBoth)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const proxied = new URL(target)
  proxied.hostname = '127.0.0.1'
  proxied.port = String((server.address() as net.AddressInfo).port)
  return {
    url: proxied.toString(),
    down: () => {
      isUp = false
      for (const socket of open) socket.destroy()
      open.clear()
    },
    up: () => {
      isUp = true
    },
    get accepted() {
      return accepted
    },
    close: async () => {
      for (const socket of open) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
