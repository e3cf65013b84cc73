// A local HTTP server standing in for api.resend.com: records every call the SDK makes and answers
// with whatever the test sets (the real API's shapes: 200 {id} on success, {statusCode,name,message} on error).
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll } from 'vitest'

export type CapturedCall = { method: string; path: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown> }

export async function startResendStandIn() {
  const calls: CapturedCall[] = []
  let answer: { status: number; body: unknown } = { status: 200, body: { id: 'a1b2c3d4-e5f6-7890-abcd-ef0123456789' } }
  const server = http.createServer((request, response) => {
    let raw = ''
    request.on('data', (chunk) => (raw += chunk))
    request.on('end', () => {
      calls.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: raw ? JSON.parse(raw) : {} })
      response.writeHead(answer.status, { 'content-type': 'application/json' })
      response.end(JSON.stringify(answer.body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()))
  afterAll(close)
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    answerWith: (status: number, body: unknown) => (answer = { status, body }),
    close,
  }
}
