// The web process: Next.js behind a tiny Node HTTP server of our own.
// Why not plain `next start`: Next keeps a client-sent X-Forwarded-For and never exposes the socket
// address to route handlers, so a spoofed header would decide the client IP. Here the socket address
// is written into x-sage-peer-ip (overwriting anything the client sent) before Next sees the request.
import http from 'node:http'
import { EventEmitter } from 'node:events'
import { fileURLToPath } from 'node:url'
import { EVENT_SOCKET_PATH, INTERNAL_TOKEN, handleEventSocketUpgrade } from './event-socket.mjs'

process.env.NODE_ENV = 'production'
process.env.NEXT_TELEMETRY_DISABLED = '1'
const { default: next } = await import('next')

const dir = fileURLToPath(new URL('..', import.meta.url))
const port = Number(process.env.PORT ?? 3000)
const hostname = process.env.HOST ?? '0.0.0.0'

// Where this process reaches itself (the event socket's request to the SSE route).
const selfHost = hostname === '0.0.0.0' || hostname === '::' ? '127.0.0.1' : hostname

// Next attaches its own upgrade listener to `httpServer` (or else to the request's server, where it would
// close our event sockets): give it this emitter, and hand it the upgrades that are not ours.
const nextUpgrades = new EventEmitter()
const app = next({ dev: false, dir, port, hostname, httpServer: nextUpgrades })
const handle = app.getRequestHandler()
await app.prepare()

const server = http.createServer((request, response) => {
  // The event socket's own request to the SSE route carries its client's address (scripts/event-socket.mjs).
  const internal = request.headers['x-sage-internal'] === INTERNAL_TOKEN
  if (!internal) request.headers['x-sage-peer-ip'] = request.socket.remoteAddress ?? ''
  delete request.headers['x-sage-internal']
  void handle(request, response)
})
server.on('upgrade', (request, socket, head) => {
  if (new URL(request.url ?? '/', 'http://internal').pathname === EVENT_SOCKET_PATH) return handleEventSocketUpgrade(request, socket, head, { host: selfHost, port: server.address().port })
  nextUpgrades.emit('upgrade', request, socket, head)
})
server.keepAliveTimeout = 65_000
server.listen(port, hostname, () => console.log(`web listening on http://${hostname}:${port}`))

const shutdown = () => {
  server.close(() => process.exit(0))
  server.closeIdleConnections()
  setTimeout(() => process.exit(0), 5000).unref()
}
process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)
