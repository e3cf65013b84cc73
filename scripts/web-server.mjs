// The web process: Next.js behind a tiny Node HTTP server of our own.
// Why not plain `next start`: Next keeps a client-sent X-Forwarded-For and never exposes the socket
// address to route handlers, so a spoofed header would decide the client IP. Here the socket address
// is written into x-sage-peer-ip (overwriting anything the client sent) before Next sees the request.
import http from 'node:http'
import { fileURLToPath } from 'node:url'

process.env.NODE_ENV = 'production'
process.env.NEXT_TELEMETRY_DISABLED = '1'
const { default: next } = await import('next')

const dir = fileURLToPath(new URL('..', import.meta.url))
const port = Number(process.env.PORT ?? 3000)
const hostname = process.env.HOST ?? '0.0.0.0'

const app = next({ dev: false, dir, port, hostname })
const handle = app.getRequestHandler()
await app.prepare()

const server = http.createServer((request, response) => {
  request.headers['x-sage-peer-ip'] = request.socket.remoteAddress ?? ''
  void handle(request, response)
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
