// GET /api/v1/events/ws – the event log over a WebSocket, for the web server (scripts/web-server.mjs).
// Next route handlers cannot take over a connection, so the upgrade is handled here, and the stream
// itself is the SSE route's (/api/v1/events/stream), fetched from this same process: the key checks,
// rate limit, scoping and resumption are that route's, written once. So is a browser's `?ticket=`
// (lib/api/event-stream-auth.ts), which rides along in the query, since browsers cannot send a header. The client's address reaches it
// through x-sage-peer-ip, believed only with this process's random x-sage-internal token.
import http from 'node:http'
import { randomBytes } from 'node:crypto'
import { WebSocketServer } from 'ws'

export const EVENT_SOCKET_PATH = '/api/v1/events/ws'
export const INTERNAL_TOKEN = randomBytes(24).toString('hex')

const wss = new WebSocketServer({ noServer: true })

/** Answers a refused upgrade with the SSE route's own status and JSON error body. */
function refuse(socket, status, headers, body) {
  const lines = [`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}`, 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close']
  for (const name of ['x-request-id', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'retry-after']) {
    if (headers[name]) lines.push(`${name}: ${headers[name]}`)
  }
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`)
}

/** Splits an SSE byte stream into events; calls onEvent with each `data:` payload (comments become onHeartbeat). */
function sseReader(onEvent, onHeartbeat) {
  let buffer = ''
  return (chunk) => {
    buffer += chunk
    let end
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const data = block.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n')
      if (data) onEvent(data)
      else if (block.startsWith(': heartbeat')) onHeartbeat()
    }
  }
}

/** Handles an upgrade on EVENT_SOCKET_PATH: one WebSocket text message per event (the JSON the SSE `data:` carries). */
export function handleEventSocketUpgrade(request, socket, head, self) {
  const url = new URL(request.url ?? '/', 'http://internal')
  const headers = { 'x-sage-internal': INTERNAL_TOKEN, 'x-sage-peer-ip': request.socket.remoteAddress ?? '', accept: 'text/event-stream' }
  for (const name of ['authorization', 'last-event-id', 'x-forwarded-for']) {
    if (request.headers[name]) headers[name] = request.headers[name]
  }
  const upstream = http.request({ host: self.host, port: self.port, path: `/api/v1/events/stream${url.search}`, headers })
  socket.on('error', () => upstream.destroy())
  upstream.on('error', () => socket.destroy())
  upstream.on('response', (response) => {
    if (response.statusCode !== 200) {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk) => (body += chunk))
      response.on('end', () => refuse(socket, response.statusCode ?? 500, response.headers, body))
      return
    }
    wss.handleUpgrade(request, socket, head, (client) => {
      response.setEncoding('utf8')
      response.on('data', sseReader((data) => client.send(data), () => client.ping()))
      // The SSE stream ends (its time limit, a server stop): close so the client resumes from its last position.
      response.on('end', () => client.close(1012, 'stream ended; reconnect with Last-Event-ID'))
      client.on('close', () => upstream.destroy())
      client.on('error', () => upstream.destroy())
    })
  })
  upstream.end()
}
