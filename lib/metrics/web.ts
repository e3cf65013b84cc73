import 'server-only'
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/**
 * The web process's Prometheus metrics (GET /metrics). Counters and histograms only move in memory
 * on the hot path; nothing here queries the database. Kept on globalThis so every route bundle of
 * the Next server shares one registry.
 */
function create() {
  const registry = new Registry()
  registry.setDefaultLabels({ service: 'web' })
  collectDefaultMetrics({ register: registry, prefix: 'sage_web_' })
  return {
    registry,
    requests: new Counter({
      name: 'sage_http_requests_total',
      help: 'API requests answered, by route (the path pattern), method and status',
      labelNames: ['route', 'method', 'status'] as const,
      registers: [registry],
    }),
    rateLimitRefusals: new Counter({
      name: 'sage_rate_limit_refusals_total',
      help: 'Requests refused with 429: by a key’s own limit (key) or for too many failed key checks from one address (auth_failures)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    sends: new Counter({
      name: 'sage_sends_total',
      help: 'API sends by outcome: the message status answered (SERVER_ACK, PENDING) or the error code',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    sendSeconds: new Histogram({
      name: 'sage_send_duration_seconds',
      help: 'From an API send’s request to its answer (WhatsApp’s acceptance, or the worker’s with a delay)',
      labelNames: ['outcome'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30],
      registers: [registry],
    }),
  }
}

type WebMetrics = ReturnType<typeof create>
const globalForMetrics = globalThis as unknown as { sageWebMetrics?: WebMetrics }

export function webMetrics(): WebMetrics {
  globalForMetrics.sageWebMetrics ??= create()
  return globalForMetrics.sageWebMetrics
}

/** A request's route as a bounded label: the path with each path parameter's value put back as {name}. */
export function routeLabel(pathname: string, params: Record<string, string>): string {
  const names = new Map(Object.entries(params).map(([name, value]) => [value, name]))
  return pathname
    .split('/')
    .map((segment) => {
      const name = names.get(decodeURIComponent(segment))
      return name ? `{${name}}` : segment
    })
    .join('/')
}
