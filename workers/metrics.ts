// The worker's Prometheus metrics and the small HTTP listener that serves them (WORKER_METRICS_PORT).
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { stateOf } from '@/lib/instances/status-codes'
import type { Logger } from '@/lib/log'
import { metricsAccess } from '@/lib/metrics/token'
import { countOpenCommands } from '@/lib/store/commands'
import { countHeldByStatus } from '@/lib/store/instances'
import { countUnsentOutbox } from '@/lib/store/messages'
import { countPendingDeliveries } from '@/lib/store/webhook-deliveries'

export const workerRegistry = new Registry()
workerRegistry.setDefaultLabels({ service: 'worker' })
collectDefaultMetrics({ register: workerRegistry, prefix: 'sage_worker_' })

/** Counters move in memory as work happens; the gauges below query Postgres only when scraped. */
export const webhookAttempts = new Counter({
  name: 'sage_webhook_attempts_total',
  help: 'Webhook delivery attempts by outcome: success (a 2xx), http_error (another status) or network_error (no answer)',
  labelNames: ['outcome'] as const,
  registers: [workerRegistry],
})
export const webhookAttemptSeconds = new Histogram({
  name: 'sage_webhook_attempt_duration_seconds',
  help: 'Time from a webhook attempt’s request to its answer (or failure)',
  labelNames: ['outcome'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
  registers: [workerRegistry],
})
export const heartbeats = new Counter({
  name: 'sage_worker_heartbeats_total',
  help: 'Heartbeats (lease renewals, workers/lease.ts) this worker recorded: ok, failed (no database), lapsed (renewed too late: re-registered)',
  labelNames: ['worker', 'result'] as const,
  registers: [workerRegistry],
})
export const lastHeartbeat = new Gauge({
  name: 'sage_worker_last_heartbeat_timestamp_seconds',
  help: 'Unix time of this worker’s last recorded heartbeat',
  labelNames: ['worker'] as const,
  registers: [workerRegistry],
})

/** Records one webhook attempt's outcome and latency. */
export function observeWebhookAttempt(result: { ok: boolean; statusCode: number | null; latencyMs: number }): void {
  const outcome = result.ok ? 'success' : result.statusCode === null ? 'network_error' : 'http_error'
  webhookAttempts.inc({ outcome })
  webhookAttemptSeconds.observe({ outcome }, result.latencyMs / 1000)
}

/** The scrape-time gauges that need this worker's id: its instances by state, and the queues' depth. */
export function registerWorkerGauges(workerIdNow: () => string): void {
  new Gauge({
    name: 'sage_worker_instances',
    help: 'Instances this worker holds, by state and status code',
    labelNames: ['worker', 'state', 'status_code'] as const,
    registers: [workerRegistry],
    async collect() {
      this.reset()
      const workerId = workerIdNow()
      for (const row of await countHeldByStatus(workerId)) this.set({ worker: workerId, state: stateOf(row.statusCode), status_code: row.statusCode }, row.count)
    },
  })
  new Gauge({
    name: 'sage_queue_depth',
    help: 'Work waiting, every worker’s: API sends not yet sent (outbox), commands pending or running (commands), webhook deliveries not yet done (webhooks)',
    labelNames: ['queue'] as const,
    registers: [workerRegistry],
    async collect() {
      const [outbox, commands, webhooks] = await Promise.all([countUnsentOutbox(), countOpenCommands(), countPendingDeliveries()])
      this.set({ queue: 'outbox' }, outbox)
      this.set({ queue: 'commands' }, commands)
      this.set({ queue: 'webhooks' }, webhooks)
    },
  })
}

/** GET /metrics on WORKER_METRICS_PORT, with the web tier's METRICS_TOKEN rule (404 unset, 401 wrong). */
export async function startMetricsListener(options: { port: number; token: string | undefined; log: Logger }): Promise<{ port: number; stop: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    const answer = (status: number, body: string, type = 'application/json') => {
      response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' })
      response.end(body)
    }
    if (new URL(request.url ?? '/', 'http://worker').pathname !== '/metrics') return answer(404, JSON.stringify({ error: 'not_found' }))
    const access = metricsAccess(options.token, request.headers.authorization)
    if (access === 'not_configured') return answer(404, JSON.stringify({ error: 'not_found', message: 'Set METRICS_TOKEN to expose metrics.' }))
    if (access === 'unauthorized') return answer(401, JSON.stringify({ error: 'unauthorized', message: 'Send "Authorization: Bearer <METRICS_TOKEN>".' }))
    workerRegistry.metrics().then(
      (text) => answer(200, text, workerRegistry.contentType),
      (error) => {
        options.log.warn({ err: error }, 'metrics scrape failed')
        answer(500, JSON.stringify({ error: 'internal_error' }))
      },
    )
  })
  await new Promise<void>((resolve) => server.listen(options.port, resolve))
  const port = (server.address() as AddressInfo).port
  options.log.info({ port }, 'worker metrics listening')
  return { port, stop: () => new Promise((resolve) => server.close(() => resolve())) }
}
