// A local HTTP receiver for webhook tests: records every request with its raw body, answers as told.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll } from 'vitest'

export type ReceivedWebhook = { headers: http.IncomingHttpHeaders; rawBody: string; receivedAt: number }
/** What to answer: a status (and body), or 'hang' to never answer. */
export type Reply = { status: number; body?: string; delayMs?: number } | 'hang'

export async function startReceiver(reply: (request: ReceivedWebhook, index: number) => Reply = () => ({ status: 200, body: 'ok' })) {
  const received: ReceivedWebhook[] = []
  const waiters = new Set<() => void>()
  let answer = reply
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      const request = { headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() }
      received.push(request)
      for (const wake of waiters) wake()
      const decision = answer(request, received.length - 1)
      if (decision === 'hang') return
      setTimeout(() => res.writeHead(decision.status, { 'content-type': 'text/plain' }).end(decision.body ?? ''), decision.delayMs ?? 0)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  afterAll(close)
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    received,
    setReply: (next: typeof reply) => (answer = next),
    /** Resolves once `count` requests have arrived (fails after `timeoutMs`). */
    waitFor: (count: number, timeoutMs = 15_000) =>
      new Promise<ReceivedWebhook[]>((resolve, reject) => {
        const check = () => {
          if (received.length >= count) {
            waiters.delete(check)
            clearTimeout(timer)
            resolve(received.slice())
          }
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`expected ${count} webhook requests within ${timeoutMs} ms, got ${received.length}`))
        }, timeoutMs)
        waiters.add(check)
        check()
      }),
    close,
  }
}
