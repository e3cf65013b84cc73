// 1. Data-plane overhead: an authed, rate-limited cheap endpoint vs a route handler that does nothing.
import autocannon from 'autocannon'
import { cpuUsedDuring, formatCpuShare, ms, perSecond, type Row } from './stats'

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

/** Turns of section 1: every side once per turn, in an order that rotates (see measureDataPlane). */
const DATA_PLANE_TURNS = 6
const SIDES = ['bare', 'dynamic', 'authed'] as const

type Side = { requests: number; seconds: number; cpu: Record<string, number>; p50: number[]; p99: number[]; bad: number }

export async function measureDataPlane(options: { baseUrl: string; apiKey: string; instanceName: string; pids: Record<string, number>; connections?: number; seconds?: number }): Promise<Row[]> {
  const connections = options.connections ?? 10
  // 24 s per side in all, as six turns of 4 s: this machine's speed drifts by a fifth or more from
  // minute to minute (docs/performance.md, round two), so one 10 s run of each side, one after the
  // other, measured the drift as often as the route. In turns, whose order rotates, a slow or fast
  // spell falls on every side alike.
  const seconds = options.seconds ?? 4
  const targets = {
    authed: { url: `${options.baseUrl}/api/v1/instance/${options.instanceName}/connectionState`, headers: { authorization: `Bearer ${options.apiKey}` } },
    bare: { url: `${options.baseUrl}/bench-noop` },
    // What Next.js itself costs more for a path with a dynamic segment (route matching, params).
    dynamic: { url: `${options.baseUrl}/bench-noop/${options.instanceName}/connectionState` },
  }
  // Warm-up: JIT, route compilation caches, the pools' connections.
  for (const side of SIDES) await loadTest({ ...targets[side], connections, seconds: 3 })
  const sides = { bare: emptySide(), dynamic: emptySide(), authed: emptySide() }
  for (let turn = 0; turn < DATA_PLANE_TURNS; turn++) {
    const order = SIDES.map((_, index) => SIDES[(index + turn) % SIDES.length])
    for (const name of turn % 2 === 0 ? order : order.reverse()) {
      const { result: load, used, elapsed } = await cpuUsedDuring(options.pids, () => loadTest({ ...targets[name], connections, seconds }))
      const side = sides[name]
      side.requests += load.rps * seconds
      side.seconds += elapsed
      for (const [process, cpu] of Object.entries(used)) side.cpu[process] = (side.cpu[process] ?? 0) + cpu
      side.p50.push(load.p50)
      side.p99.push(load.p99)
      side.bad += load.non2xx + load.errors
    }
  }
  // autocannon's rate is over its own duration; `seconds` (wall time) also holds each turn's start and stop.
  const rate = (side: Side) => side.requests / (DATA_PLANE_TURNS * seconds)
  const share = (side: Side) => formatCpuShare(side.cpu, side.seconds)
  const webCpu = (side: Side) => (side.cpu.web / side.requests) * 1000
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length
  const { bare, dynamic, authed } = sides
  const bad = bare.bad + dynamic.bad + authed.bad
  const note = bad ? ` (${bad} non-2xx/errors!)` : ''
  return [
    {
      figure: `1. GET connectionState, ${connections} conns, ${DATA_PLANE_TURNS} turns × ${seconds} s`,
      value: `${perSecond(rate(authed))}${note}`,
      floor: `${perSecond(rate(bare))} bare route (GET /bench-noop), in turns`,
      ratio: `${(rate(authed) / rate(bare)).toFixed(2)}×`,
    },
    {
      figure: '1. … vs a bare route with a dynamic segment',
      value: `${perSecond(rate(authed))}`,
      floor: `${perSecond(rate(dynamic))} GET /bench-noop/{name}/connectionState`,
      ratio: `${(rate(authed) / rate(dynamic)).toFixed(2)}×`,
    },
    {
      figure: '1. GET connectionState latency (mean of turns)',
      value: `p50 ${ms(mean(authed.p50))}, p99 ${ms(mean(authed.p99))}`,
      floor: `p50 ${ms(mean(bare.p50))}, p99 ${ms(mean(bare.p99))}`,
      ratio: `+${ms(mean(authed.p50) - mean(bare.p50))} p50`,
    },
    {
      figure: '1. … web CPU per request',
      value: ms(webCpu(authed)),
      floor: `${ms(webCpu(bare))} bare, ${ms(webCpu(dynamic))} bare dynamic`,
      ratio: `${(webCpu(bare) / webCpu(authed)).toFixed(2)}× (bare/authed)`,
    },
    { figure: '1. … CPU meanwhile (% of one core)', value: share(authed), floor: share(bare) },
  ]
}

function emptySide(): Side {
  return { requests: 0, seconds: 0, cpu: {}, p50: [], p99: [], bad: 0 }
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
