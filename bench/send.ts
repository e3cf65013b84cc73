// 2. Send path: POST message/sendText → 201 through the worker and real Baileys, vs the LISTEN/NOTIFY round trip.
import postgres from 'postgres'
import { Agent, request } from 'undici'
import { loadTest } from './data-plane'
import { latencySummary, ms, percentile, perSecond, withCpuShare, type Row } from './stats'

/** Two connections: A notifies, B (listening) notifies back, A hears it. The floor of any web → worker → web exchange. */
export async function listenNotifyRoundTrip(databaseUrl: string, iterations = 1000): Promise<number[]> {
  const a = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  const b = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  try {
    const waiting = new Map<string, () => void>()
    await a.listen('bench_pong', (payload) => waiting.get(payload)?.())
    // postgres.js queries are lazy: .then() sends it.
    await b.listen('bench_ping', (payload) => void b`select pg_notify('bench_pong', ${payload})`.then(() => {}))
    const samples: number[] = []
    for (let i = 0; i < iterations + 50; i++) {
      const payload = String(i)
      const heard = new Promise<void>((resolve) => waiting.set(payload, resolve))
      const startedAt = performance.now()
      await a`select pg_notify('bench_ping', ${payload})`
      await heard
      waiting.delete(payload)
      if (i >= 50) samples.push(performance.now() - startedAt)
    }
    return samples
  } finally {
    await Promise.all([a.end({ timeout: 5 }), b.end({ timeout: 5 })])
  }
}

export async function measureSend(options: { baseUrl: string; apiKey: string; instances: string[]; to: string; databaseUrl: string; pids: Record<string, number>; sequential?: number; seconds?: number }): Promise<Row[]> {
  const headers = { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' }
  const body = JSON.stringify({ number: options.to, text: 'Benchmark message: your order #1042 has shipped.' })
  const urlOf = (name: string) => `${options.baseUrl}/api/v1/instance/${name}/message/sendText`
  // The client is undici's request on a kept-alive connection: fetch() costs the bench itself about
  // 1.4 ms more per call (its web streams), which is not the server's latency. The same sends through
  // fetch() are reported too, as the figure before round two's end was measured that way.
  const agent = new Agent({ keepAliveTimeout: 60_000 })
  const send = async (name: string) => {
    const startedAt = performance.now()
    const response = await request(urlOf(name), { method: 'POST', headers, body, dispatcher: agent })
    await response.body.arrayBuffer()
    if (response.statusCode !== 201) throw new Error(`sendText on ${name}: ${response.statusCode}`)
    return performance.now() - startedAt
  }
  const sendWithFetch = async (name: string) => {
    const startedAt = performance.now()
    const response = await fetch(urlOf(name), { method: 'POST', headers, body })
    await response.arrayBuffer()
    if (response.status !== 201) throw new Error(`sendText on ${name}: ${response.status}`)
    return performance.now() - startedAt
  }
  // Warm-up: each instance's number lookup (usync) and Signal session with the contact.
  for (const name of options.instances) await send(name)
  for (let i = 0; i < 20; i++) await send(options.instances[0])
  for (let i = 0; i < 20; i++) await sendWithFetch(options.instances[0])

  const sequential: number[] = []
  const sequentialWithFetch: number[] = []
  for (let i = 0; i < (options.sequential ?? 200); i++) sequential.push(await send(options.instances[0]))
  for (let i = 0; i < (options.sequential ?? 200); i++) sequentialWithFetch.push(await sendWithFetch(options.instances[0]))
  await agent.close()
  const floor = await listenNotifyRoundTrip(options.databaseUrl)
  const phases = await sendPhases(options.databaseUrl, sequential.length)

  const seconds = options.seconds ?? 10
  const one = await loadTest({ url: urlOf(options.instances[0]), method: 'POST', headers, body, connections: 10, seconds })
  let next = 0
  const paths = options.instances.map((name) => new URL(urlOf(name)).pathname)
  const { result: many, share: manyCpu } = await withCpuShare(options.pids, () => loadTest({
    url: options.baseUrl,
    connections: options.instances.length,
    seconds,
    requests: [{ method: 'POST', headers, body, setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] }) }],
  }))
  const bad = (load: { non2xx: number; errors: number }) => (load.non2xx + load.errors ? ` (${load.non2xx + load.errors} non-2xx/errors!)` : '')
  const floorP50 = percentile(floor, 50)
  return [
    {
      figure: `2. sendText → 201, sequential (${sequential.length})`,
      value: latencySummary(sequential),
      floor: `LISTEN/NOTIFY round trip ${latencySummary(floor)}`,
      ratio: `${(percentile(sequential, 50) / floorP50).toFixed(0)}× p50`,
    },
    {
      figure: `2. … the same sends with fetch() as the client (${sequentialWithFetch.length})`,
      value: latencySummary(sequentialWithFetch),
      floor: 'fetch() adds its own web streams per call',
    },
    {
      figure: '2. … where the sequential send spends it (medians)',
      value: phases,
      floor: 'from the outbox row timestamps',
    },
    {
      figure: `2. sendText sustained, 1 instance, 10 conns × ${seconds} s`,
      value: `${perSecond(one.rps)}, p50 ${ms(one.p50)}, p99 ${ms(one.p99)}${bad(one)}`,
      floor: `1 / sequential p50 = ${perSecond(1000 / percentile(sequential, 50))}`,
    },
    {
      figure: `2. sendText sustained, ${options.instances.length} instances, ${options.instances.length} conns × ${seconds} s`,
      value: `${perSecond(many.rps)}, p50 ${ms(many.p50)}, p99 ${ms(many.p99)}${bad(many)}`,
      floor: `${perSecond(one.rps)} on 1 instance`,
      ratio: `${(many.rps / one.rps).toFixed(2)}×`,
    },
    { figure: `2. … CPU meanwhile, ${options.instances.length} instances (% of one core)`, value: manyCpu, floor: '2 cores = 200%' },
  ]
}

/** Medians of the outbox row's own timestamps over the last `count` sends: where a send's time goes. */
async function sendPhases(databaseUrl: string, count: number): Promise<string> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  try {
    const [row] = await sql`
      with recent as (select * from messages where via_api order by created_at desc limit ${count})
      select
        percentile_cont(0.5) within group (order by extract(epoch from accepted_at - created_at) * 1000) as accept,
        percentile_cont(0.5) within group (order by extract(epoch from send_started_at - accepted_at) * 1000) as start,
        percentile_cont(0.5) within group (order by extract(epoch from sent_at - send_started_at) * 1000) as baileys
      from recent`
    return `insert→accepted ${ms(Number(row.accept))}, →send started ${ms(Number(row.start))}, →sent (Baileys) ${ms(Number(row.baileys))}`
  } finally {
    await sql.end()
  }
}
