// 4. Instances per worker: memory of one worker process with 0, 10, 100 and 1,000 connected idle
// instances (RSS, and the heap after a full collection), and how fast pairing goes as it fills.
import fs from 'node:fs'
import path from 'node:path'
import postgres from 'postgres'
import { stopChild } from '@/lib/runtime/processes'
import type { Api } from '@/test-support/data-plane'
import { pairInstance } from '@/test-support/pairing'
import type { SimulatorProcess } from '@/test-support/simulator'
import type { Stack } from '@/test-support/stack'
import { inParallel, say } from './stack'
import { mb, rssOf, type Row } from './stats'

const settle = (msDelay: number) => new Promise((resolve) => setTimeout(resolve, msDelay))

type Memory = { rssBefore: number; rss: number; heapUsed: number; external: number; arrayBuffers: number }

/** Asks the worker's probe (bench/memory-probe.mjs) for a full collection and its memory after it. */
async function memoryOf(pid: number): Promise<Memory> {
  const dir = process.env.BENCH_MEMORY_DIR!
  const answer = path.join(dir, `memory-${pid}.json`)
  fs.rmSync(answer, { force: true })
  fs.writeFileSync(path.join(dir, `gc-${pid}`), '')
  for (let waited = 0; waited < 120_000; waited += 250) {
    if (fs.existsSync(answer)) return JSON.parse(fs.readFileSync(answer, 'utf8')) as Memory
    await settle(250)
  }
  throw new Error('the worker did not report its memory within 2 minutes')
}

/** Signals the worker (started with --heapsnapshot-signal, bench/stack.ts) and waits until its snapshot is written. */
async function heapSnapshot(pid: number, dir: string): Promise<void> {
  const before = new Set(fs.readdirSync(dir))
  process.kill(pid, 'SIGUSR2')
  for (let size = -1; ; ) {
    await settle(2_000)
    const file = fs.readdirSync(dir).find((name) => !before.has(name) && name.endsWith('.heapsnapshot'))
    if (!file) continue
    const now = fs.statSync(path.join(dir, file)).size
    if (now === size && now > 0) return say(`heap snapshot ${path.join(dir, file)} (${mb(now)})`)
    size = now
  }
}

export async function measureInstances(options: {
  stack: Stack
  api: Api
  sim: SimulatorProcess
  databaseUrl: string
  userId: string
  steps?: number[]
  budgetMs?: number
}): Promise<{ rows: Row[]; reached: number; limit?: string }> {
  const steps = options.steps ?? [10, 100, 1000]
  const sql = postgres(options.databaseUrl, { max: 2, onnotice: () => {} })
  const sectionStartedAt = Date.now()
  try {
    // A fresh worker holding nothing: the load tests' worker and instances are retired first.
    await stopChild(options.stack.workers[0], 30_000)
    await sql`update instances set desired_state = 'disconnected', worker_id = null`
    const worker = options.stack.startWorker()
    await settle(8_000)
    const sample = async (count: number, pairing?: { seconds: number; paired: number }) => {
      const rss = rssOf(worker.pid!)
      const memory = await memoryOf(worker.pid!)
      if (process.env.BENCH_HEAP_SNAPSHOT) await heapSnapshot(worker.pid!, process.env.BENCH_HEAP_SNAPSHOT)
      say(`worker with ${count} open instances: RSS ${mb(rss)}, heap ${mb(memory.heapUsed)} after a full GC (RSS then ${mb(memory.rss)})`)
      return { count, rss, heap: memory.heapUsed, pairing }
    }
    const samples = [await sample(0)]

    const names = Array.from({ length: Math.max(...steps) }, (_, i) => `idle-${String(i).padStart(4, '0')}`)
    for (const name of names) await sql`insert into instances (user_id, name) values (${options.userId}, ${name})`
    const deadline = Date.now() + (options.budgetMs ?? 20 * 60_000)
    let paired = 0
    let limit: string | undefined
    const retried: string[] = []
    for (const step of steps) {
      const batch = names.slice(paired, step)
      const startedAt = Date.now()
      try {
        await inParallel(batch, 8, async (name) => {
          if (Date.now() > deadline) throw new Error('time budget for pairing spent')
          const pair = () => pairInstance(options.api, options.sim, name, `1555${String(3_000_000 + names.indexOf(name)).padStart(7, '0')}`, 120_000)
          // A customer whose connect timed out (504) asks again; so does the bench, once per instance.
          await pair().catch((error) => {
            retried.push(`${name}: ${error instanceof Error ? error.message.slice(0, 120) : String(error)}`)
            say(`pairing ${name} again after: ${retried.at(-1)}`)
            return pair()
          })
        })
      } catch (error) {
        limit = `pairing stopped before ${step}: ${error instanceof Error ? error.message : String(error)}`
        say(limit)
        break
      }
      const seconds = (Date.now() - startedAt) / 1000
      paired = step
      say(`paired ${step} instances (${seconds.toFixed(0)} s for the last ${batch.length}: ${(batch.length / seconds).toFixed(2)}/s)`)
      await settle(10_000)
      const [{ open }] = await sql`select count(*)::int as open from instances where state = 'open' and name like 'idle-%'`
      samples.push(await sample(open, { seconds, paired: batch.length }))
    }
    const zero = samples[0]
    const perInstance = (value: number, base: number, count: number) => mb((value - base) / count)
    const rows: Row[] = samples.flatMap((each) => [
      {
        figure: `4. worker memory, ${each.count} idle instances`,
        value: `RSS ${mb(each.rss)}, heap ${mb(each.heap)}`,
        floor: each.count === 0 ? 'baseline (heap after a full GC)' : `${perInstance(each.rss, zero.rss, each.count)} RSS, ${perInstance(each.heap, zero.heap, each.count)} heap per instance`,
        ratio: each.count === 0 ? '' : 'goal ≤ 1.5 MB at 1,000; WAHA Baileys ≈ 80 MB, Go ≈ 50 MB',
      },
      ...(each.pairing
        ? [{ figure: `4. … pairing up to ${each.count}`, value: `${(each.pairing.paired / each.pairing.seconds).toFixed(2)}/s`, floor: `${each.pairing.paired} in ${each.pairing.seconds.toFixed(0)} s, 8 at a time`, ratio: '' }]
        : []),
    ])
    if (retried.length) rows.push({ figure: '4. … pairings asked for again', value: String(retried.length), floor: retried.slice(0, 3).join('; '), ratio: '' })
    rows.push({ figure: '4. … the whole section', value: `${((Date.now() - sectionStartedAt) / 60_000).toFixed(1)} min`, floor: 'budget 20 min for pairing', ratio: '' })
    return { rows, reached: paired, limit }
  } finally {
    await sql.end()
  }
}
