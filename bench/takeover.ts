// 8. Takeover: N instances (BENCH_TAKEOVER_INSTANCES, default 500) open in one worker, two more
// workers started, the first SIGKILLed: the time until all N are open again on the survivors (the
// lease TTL included), and how they spread. The instances are section 4's (bench/instances.ts names
// and numbers them alike): after it, nothing more is paired; alone, this pairs them the same way.
import postgres from 'postgres'
import type { Api } from '@/test-support/data-plane'
import { pairInstance } from '@/test-support/pairing'
import type { SimulatorProcess } from '@/test-support/simulator'
import type { Stack } from '@/test-support/stack'
import { eventually } from '@/test-support/eventually'
import { liveWorkerCount } from '@/lib/store/workers'
import { inParallel, say } from './stack'
import type { Row } from './stats'

const GOAL_SECONDS = 30
const nameOf = (index: number) => `idle-${String(index).padStart(4, '0')}`
const phoneOf = (index: number) => `1555${String(3_000_000 + index).padStart(7, '0')}`

/** Like `eventually`, but a timeout is a result (undefined): the row then reports how far it got. */
const until = <T>(read: () => Promise<T | undefined>, timeoutMs: number) => eventually(read, timeoutMs, 200).catch(() => undefined)

export async function measureTakeover(options: { stack: Stack; api: Api; sim: SimulatorProcess; databaseUrl: string; userId: string; count?: number }): Promise<Row[]> {
  const count = options.count ?? Number(process.env.BENCH_TAKEOVER_INSTANCES ?? 500)
  const sql = postgres(options.databaseUrl, { max: 2, onnotice: () => {} })
  try {
    const names = Array.from({ length: count }, (_, index) => nameOf(index))
    for (const name of names) await sql`insert into instances (user_id, name) values (${options.userId}, ${name}) on conflict do nothing`
    const open = new Set((await sql`select name from instances where name = any(${names}) and state = 'open'`).map((row) => row.name as string))
    const missing = names.filter((name) => !open.has(name))
    // Only the measured instances stay connected (section 4 may have left 1,000 open): the survivors
    // take over exactly `count`, and the one worker has room for them (WORKER_CAPACITY).
    await sql`update instances set desired_state = 'disconnected' where not (name = any(${names}))`
    await until(async () => ((await sql`select count(*)::int as n from instances where worker_id is not null and not (name = any(${names}))`)[0].n === 0 ? true : undefined), 120_000)
    if (missing.length) {
      say(`8. pairing ${missing.length} instances`)
      const startedAt = Date.now()
      await inParallel(missing, 8, (name) => pairInstance(options.api, options.sim, name, phoneOf(names.indexOf(name)), 120_000))
      say(`8. paired ${missing.length} in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`)
    }
    const holders = await sql`select worker_id, count(*)::int as n from instances where name = any(${names}) and state = 'open' group by worker_id`
    if (holders.length !== 1 || holders[0].n !== count) throw new Error(`8. expected all ${count} open in one worker, found ${JSON.stringify(holders)}`)
    const victimId = holders[0].worker_id as string
    const victim = options.stack.workers.find((worker) => victimId.includes(`-${worker.pid}-`) && worker.exitCode === null)
    if (!victim) throw new Error(`8. no running worker process for ${victimId}`)

    options.stack.startWorker()
    options.stack.startWorker()
    await until(async () => ((await liveWorkerCount()) >= 3 ? true : undefined), 90_000)

    say(`8. SIGKILL of the worker holding ${count} open instances`)
    victim.kill('SIGKILL')
    const killedAt = performance.now()
    let firstClaimedAt: number | undefined
    const done = await until(async () => {
      const [row] = await sql`
        select count(*) filter (where worker_id <> ${victimId})::int as claimed,
          count(*) filter (where worker_id <> ${victimId} and state = 'open')::int as open
        from instances where name = any(${names})`
      if (row.claimed > 0) firstClaimedAt ??= performance.now()
      return row.open === count ? true : undefined
    }, 300_000)
    const seconds = (performance.now() - killedAt) / 1000
    const spread = await sql`select worker_id, count(*)::int as n from instances where name = any(${names}) and state = 'open' group by worker_id order by n desc`
    const [{ open: finallyOpen }] = await sql`select count(*)::int as open from instances where name = any(${names}) and state = 'open' and worker_id <> ${victimId}`
    const detection = firstClaimedAt === undefined ? 'never claimed' : `first claimed after ${((firstClaimedAt - killedAt) / 1000).toFixed(1)} s`
    const shares = spread.map((row) => String(row.n)).join(' + ')
    say(`8. ${done ? 'all' : `${finallyOpen} of`} ${count} open again after ${seconds.toFixed(1)} s (${detection}); spread ${shares}`)
    return [
      {
        figure: `8. instances of a SIGKILLed worker open again on others, ${count}`,
        value: done ? `${seconds.toFixed(1)} s (${detection})` : `${finallyOpen}/${count} after ${seconds.toFixed(0)} s`,
        floor: `goal ≤ ${GOAL_SECONDS} s for 500; lease TTL 10 s included`,
        ratio: `spread over survivors: ${shares}`,
      },
    ]
  } finally {
    await sql.end()
  }
}
