// 1. Data-plane overhead: an authed, rate-limited cheap endpoint vs a route handler that does nothing.
import autocannon from 'autocannon'
import { ms, perSecond, withCpuShare, type Row } from './stats'

type Load = { rps: number; p50: number; p99: number; non2xx: number; errors: number }

export async function loadTest(options: { url: string; headers?: Record<string, string>; connections: number; seconds: number; method?: 'GET' | 'POST'; body?: string; requests?: autocannon.Request[] }): Promise<Load> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    requests: options.requests,
  })
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts }
}

export async function measureDataPlane(options: { baseUrl: string; apiKey: string; instanceName: string; pids: Record<string, number>; connections?: number; seconds?: number }): Promise<Row[]> {
  const connections = options.connections ?? 10
  const seconds = options.seconds ?? 10
  const authed = { url: `${options.baseUrl}/api/v1/instance/${options.instanceName}/connectionState`, headers: { authorization: `Bearer ${options.apiKey}` } }
  const bare = { url: `${options.baseUrl}/bench-noop` }
  // Warm-up: JIT, route compilation caches, the pools' connections.
  await loadTest({ ...bare, connections, seconds: 3 })
  await loadTest({ ...authed, connections, seconds: 3 })
  const { result: floor, share: floorCpu } = await withCpuShare(options.pids, () => loadTest({ ...bare, connections, seconds }))
  const { result: measured, share: measuredCpu } = await withCpuShare(options.pids, () => loadTest({ ...authed, connections, seconds }))
  const bad = measured.non2xx + measured.errors + floor.non2xx + floor.errors
  const note = bad ? ` (${bad} non-2xx/errors!)` : ''
  return [
    {
      figure: `1. GET connectionState, ${connections} conns × ${seconds} s`,
      value: `${perSecond(measured.rps)}${note}`,
      floor: `${perSecond(floor.rps)} bare route (GET /bench-noop)`,
      ratio: `${(measured.rps / floor.rps).toFixed(2)}×`,
    },
    {
      figure: '1. GET connectionState latency',
      value: `p50 ${ms(measured.p50)}, p99 ${ms(measured.p99)}`,
      floor: `p50 ${ms(floor.p50)}, p99 ${ms(floor.p99)}`,
      ratio: `+${ms(measured.p50 - floor.p50)} p50`,
    },
    { figure: '1. … CPU meanwhile (% of one core)', value: measuredCpu, floor: floorCpu },
  ]
}

const ROUNDS = 3

/**
 * What counting API usage costs (lib/usage): the same authed route on two web processes of one
 * database, one with USAGE_COUNTING_OFF, measured in turns (on, off, on, off) so that a busy moment
 * of the machine falls on both.
 */
export async function measureUsageCounting(options: { countedBaseUrl: string; uncountedBaseUrl: string; apiKey: string; instanceName: string; connections?: number; seconds?: number }): Promise<Row[]> {
  const connections = options.connections ?? 10
  const seconds = options.seconds ?? 5
  const route = (baseUrl: string) => ({ url: `${baseUrl}/api/v1/instance/${options.instanceName}/connectionState`, headers: { authorization: `Bearer ${options.apiKey}` }, connections })
  // The second process is fresh: both get the same warm-up (JIT, compiled routes, pool connections).
  await loadTest({ ...route(options.uncountedBaseUrl), seconds: 5 })
  await loadTest({ ...route(options.countedBaseUrl), seconds: 5 })
  const counted: Load[] = []
  const uncounted: Load[] = []
  for (let round = 0; round < ROUNDS; round++) {
    counted.push(await loadTest({ ...route(options.countedBaseUrl), seconds }))
    uncounted.push(await loadTest({ ...route(options.uncountedBaseUrl), seconds }))
  }
  const mean = (loads: Load[]) => loads.reduce((sum, load) => sum + load.rps, 0) / loads.length
  const bad = [...counted, ...uncounted].reduce((sum, load) => sum + load.non2xx + load.errors, 0)
  return [
    {
      figure: `1. GET connectionState with usage counting, ${connections} conns × ${ROUNDS} × ${seconds} s`,
      value: `${perSecond(mean(counted))}${bad ? ` (${bad} non-2xx/errors!)` : ''}`,
      floor: `${perSecond(mean(uncounted))} with USAGE_COUNTING_OFF`,
      ratio: `${(mean(counted) / mean(uncounted)).toFixed(2)}×`,
    },
  ]
}
