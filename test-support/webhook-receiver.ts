// A local HTTP receiver for webhooks: records every request with its raw body and answers as told.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export type ReceivedWebhook = { headers: http.IncomingHttpHeaders; rawBody: string; receivedAt: number }
/** What to answer: a status (and body, after a delay), or 'hang' to never answer. */
export type Reply = { status: number; body?: string; delayMs?: number } | 'hang'

export type WebhookReceiver = {
  /** http://127.0.0.1:<port>/hooks */
  url: string
  port: number
  /** Every request so far, in arrival order. */
  received: ReceivedWebhook[]
  setReply: (reply: (request: ReceivedWebhook, index: number) => Reply) => void
  /** Resolves with the requests `matching` (default: all) once there are `count` of them; fails after `timeoutMs`. */
  waitFor: (count: number, timeoutMs?: number, matching?: (request: ReceivedWebhook) => boolean) => Promise<ReceivedWebhook[]>
  close: () => Promise<void>
}

export async function startWebhookReceiver(
  reply: (request: ReceivedWebhook, index: number) => Reply = () => ({ status: 200, body: 'ok' }),
  options: { keepAliveTimeoutMs?: number } = {},
): Promise<WebhookReceiver> {
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
      const send = () => res.writeHead(decision.status, { 'content-type': 'text/plain' }).end(decision.body ?? '')
      if (decision.delayMs) setTimeout(send, decision.delayMs)
      else send()
    })
  })
  // Senders keep connections alive between deliveries; Node's default (5 s) would close them under a slow test.
  if (options.keepAliveTimeoutMs) server.keepAliveTimeout = options.keepAliveTimeoutMs
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    received,
    setReply: (next) => (answer = next),
    waitFor: (count, timeoutMs = 15_000, matching = () => true) =>
      new Promise<ReceivedWebhook[]>((resolve, reject) => {
        // Counts incrementally: a benchmark waits for thousands of requests.
        let scanned = 0
        let matched = 0
        const check = () => {
          for (; scanned < received.length; scanned++) if (matching(received[scanned])) matched++
          if (matched >= count) {
            waiters.delete(check)
            clearTimeout(timer)
            resolve(received.filter(matching))
          }
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`expected ${count} webhook requests within ${timeoutMs} ms, got ${matched}`))
        }, timeoutMs)
        waiters.add(check)
        check()
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
