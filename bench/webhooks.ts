// 3. Webhooks: signed deliveries/s and event → delivery latency, vs a bare HTTP POST loop to the same receiver.
import { Agent, request } from 'undici'
import { DEFAULT_WEBHOOK_CONCURRENCY } from '@/lib/config'
import { runCliOrThrow } from '@/test-support/cli'
import type { SimulatorProcess } from '@/test-support/simulator'
import type { Stack } from '@/test-support/stack'
import { startWebhookReceiver, type ReceivedWebhook } from '@/test-support/webhook-receiver'
import { latencySummary, percentile, perSecond, withCpuShare, type Row } from './stats'

type Arrival = { eventId: string; eventAt: number; receivedAt: number; signed: boolean }

/** The floor's POSTs carry this header; everything else the receiver gets is a webhook delivery. */
const BARE_POST_HEADER = 'x-bench-bare'
const isDelivery = (request: ReceivedWebhook) => !request.headers[BARE_POST_HEADER]

function arrivalOf(request: ReceivedWebhook): Arrival {
  const body = JSON.parse(request.rawBody)
  return { eventId: body.id, eventAt: Date.parse(body.timestamp), receivedAt: request.receivedAt, signed: String(request.headers['x-sage-signature'] ?? '').startsWith('sha256=') }
}

/** The floor: the same number of POSTs with the same body size and concurrency, nothing else. */
async function barePostLoop(url: string, body: string, total: number, concurrency: number, freshConnection: boolean) {
  const shared = new Agent({ pipelining: 0 })
  const latencies: number[] = []
  let sent = 0
  const startedAt = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < total) {
        sent++
        const agent = freshConnection ? new Agent({ pipelining: 0 }) : shared
        const t0 = performance.now()
        const response = await request(url, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json', [BARE_POST_HEADER]: '1' }, body })
        await response.body.dump()
        latencies.push(performance.now() - t0)
        if (freshConnection) await agent.destroy()
      }
    }),
  )
  const seconds = (performance.now() - startedAt) / 1000
  await shared.destroy()
  return { rate: total / seconds, latencies }
}

export async function measureWebhooks(options: {
  stack: Stack
  email: string
  instance: { id: string; userId: string; name: string }
  ownPhone: string
  contactPhone: string
  sim: SimulatorProcess
  backlog?: number
  sequential?: number
}): Promise<Row[]> {
  // 204 at once, and connections kept open between deliveries, as a production receiver would.
  const receiver = await startWebhookReceiver(() => ({ status: 204 }), { keepAliveTimeoutMs: 65_000 })
  const deliveredSoFar = () => receiver.received.filter(isDelivery).length
  try {
    runCliOrThrow(options.stack.env, 'webhook:create', '--email', options.email, '--url', receiver.url, '--events', 'MESSAGES_UPSERT')
    const concurrency = Number(options.stack.env.WEBHOOK_CONCURRENCY ?? DEFAULT_WEBHOOK_CONCURRENCY)

    // Latency: real incoming messages (simulator → Baileys → event), one at a time.
    const { sqlClient } = await import('@/lib/db')
    const sequential = options.sequential ?? 100
    const eventToDelivery: number[] = []
    const messageToDelivery: number[] = []
    for (let i = 0; i < sequential + 5; i++) {
      const before = deliveredSoFar()
      const sentAt = Date.now()
      await options.sim.client.send(options.contactPhone, { to: options.ownPhone, text: `Incoming benchmark message ${i}` })
      const arrival = arrivalOf((await receiver.waitFor(before + 1, 15_000, isDelivery)).at(-1)!)
      if (i >= 5) {
        eventToDelivery.push(arrival.receivedAt - arrival.eventAt)
        messageToDelivery.push(arrival.receivedAt - sentAt)
      }
    }

    // Throughput: a backlog of events recorded through the product's own recordEvent (with its
    // fan-out), committed in one transaction so the dispatcher sees all of it at once: the figure is
    // how fast a ready backlog drains, not how fast this loop can record events.
    const { recordEvent } = await import('@/lib/store/events')
    const backlog = options.backlog ?? 5000
    const sample = { key: { remoteJid: `${options.contactPhone}@s.whatsapp.net`, fromMe: false, id: '3EB0BENCH' }, pushName: 'Bench', message: { conversation: 'x'.repeat(200) }, messageType: 'conversation', messageTimestamp: Math.floor(Date.now() / 1000) }
    const base = deliveredSoFar()
    const pids = { web: options.stack.web.pid!, worker: options.stack.workers[0].pid!, simulator: options.sim.child.pid! }
    const recordStartedAt = Date.now()
    await sqlClient().begin(async (tx) => {
      for (let j = 0; j < backlog; j++) await recordEvent(tx, options.instance, 'MESSAGES_UPSERT', { ...sample, key: { ...sample.key, id: `3EB0BENCH${j}` } })
    })
    const committedAt = Date.now()
    const recordRate = backlog / ((committedAt - recordStartedAt) / 1000)
    const { result: throughput, share: backlogCpu } = await withCpuShare(pids, async () => {
      const batch = (await receiver.waitFor(base + backlog, 300_000, isDelivery)).slice(base).map(arrivalOf)
      const lastAt = Math.max(...batch.map((arrival) => arrival.receivedAt))
      return {
        deliveryRate: backlog / ((lastAt - committedAt) / 1000),
        unsigned: batch.filter((arrival) => !arrival.signed).length,
      }
    })
    const { deliveryRate, unsigned } = throughput

    const body = JSON.stringify({ event: 'MESSAGES_UPSERT', instance: options.instance.name, data: sample, id: '00000000-0000-0000-0000-000000000000', timestamp: new Date().toISOString() })
    const keepAlive = await barePostLoop(receiver.url, body, backlog, concurrency, false)
    const fresh = await barePostLoop(receiver.url, body, backlog, concurrency, true)
    return [
      {
        figure: `3. webhook deliveries/s (committed backlog of ${backlog}, concurrency ${concurrency})`,
        value: `${perSecond(deliveryRate)}${unsigned ? ` (${unsigned} unsigned!)` : ''} (backlog recorded beforehand at ${perSecond(recordRate)})`,
        floor: `bare POST loop: ${perSecond(keepAlive.rate)} keep-alive, ${perSecond(fresh.rate)} new connection each`,
        ratio: `${(deliveryRate / fresh.rate).toFixed(2)}× of new-conn`,
      },
      { figure: '3. … CPU meanwhile (% of one core)', value: backlogCpu, floor: '2 cores = 200%' },
      {
        figure: `3. event → delivery, idle queue (${sequential} incoming messages)`,
        value: latencySummary(eventToDelivery),
        floor: `bare POST ${latencySummary(fresh.latencies)} (new conn)`,
        ratio: `+${(percentile(eventToDelivery, 50) - percentile(fresh.latencies, 50)).toFixed(1)} ms p50`,
      },
      {
        figure: '3. incoming message → delivery (simulator send → receiver)',
        value: latencySummary(messageToDelivery),
        floor: 'includes Signal encrypt/decrypt and Baileys',
      },
    ]
  } finally {
    await receiver.close()
  }
}
