// 4. Instances per worker: RSS of one worker process with 0, 10, 100 and 500 connected idle instances.
import postgres from 'postgres'
import { stopChild } from '@/lib/runtime/processes'
import type { Api } from '@/test-support/data-plane'
import { pairInstance } from '@/test-support/pairing'
import type { SimulatorProcess } from '@/test-support/simulator'
import type { Stack } from '@/test-support/stack'
import { inParallel, say } from './stack'
import { mb, rssOf, type Row } from './stats'

const settle = (msDelay: number) => new Promise((resolve) => setTimeout(resolve, msDelay))

export async function measureInstances(options: {
  stack: Stack
  api: Api
  sim: SimulatorProcess
  databaseUrl: string
  userId: string
  steps?: number[]
  budgetMs?: number
}): Promise<{ rows: Row[]; reached: number; limit?: string }> {
  const steps = options.steps ?? [10, 100, 500]
  const sql = postgres(options.databaseUrl, { max: 2, onnotice: () => {} })
  try {
    // A fresh worker holding nothing: the load tests' worker and instances are retired first.
    await stopChild(options.stack.workers[0], 30_000)
    await sql`update instances set desired_state = 'disconnected', worker_id = null`
    const worker = options.stack.startWorker()
    await settle(8_000)
    const samples: { count: number; rss: number }[] = [{ count: 0, rss: rssOf(worker.pid!) }]
    say(`worker RSS with 0 instances: ${mb(samples[0].rss)}`)

    const names = Array.from({ length: Math.max(...steps) }, (_, i) => `idle-${String(i).padStart(4, '0')}`)
    for (const name of names) await sql`insert into instances (user_id, name) values (${options.userId}, ${name})`
    const deadline = Date.now() + (options.budgetMs ?? 15 * 60_000)
    let paired = 0
    let limit: string | undefined
    for (const step of steps) {
      const batch = names.slice(paired, step)
      const startedAt = Date.now()
      try {
        await inParallel(batch, 8, async (name) => {
          if (Date.now() > deadline) throw new Error('time budget for pairing spent')
          await pairInstance(options.api, options.sim, name, `1555${String(3_000_000 + names.indexOf(name)).padStart(7, '0')}`, 120_000)
        })
      } catch (error) {
        limit = `pairing stopped before ${step}: ${error instanceof Error ? error.message : String(error)}`
        say(limit)
        break
      }
      paired = step
      say(`paired ${step} instances (${((Date.now() - startedAt) / 1000).toFixed(0)} s for the last ${batch.length})`)
      await settle(10_000)
      const [{ open }] = await sql`select count(*)::int as open from instances where state = 'open' and name like 'idle-%'`
      const rss = rssOf(worker.pid!)
      samples.push({ count: open, rss })
      say(`worker RSS with ${open} open instances: ${mb(rss)}`)
    }
    const zero = samples[0].rss
    const rows: Row[] = samples.map((sample) => ({
      figure: `4. worker RSS, ${sample.count} idle instances`,
      value: mb(sample.rss),
      floor: sample.count === 0 ? 'baseline' : `${mb((sample.rss - zero) / sample.count)} per instance`,
      ratio: sample.count === 0 ? '' : `WAHA Baileys ≈ 80 MB, Go ≈ 50 MB`,
    }))
    return { rows, reached: paired, limit }
  } finally {
    await sql.end()
  }
}
