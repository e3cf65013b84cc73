// 9. The lease protocol alone: 20 simulated worker loops over 10,000 instance rows, no sockets. The
// protocol before migration 0025 (a heartbeat, every held row renewed, a claim, every 2 s per worker)
// and today's (lib/store/instances.ts: one renewal statement per worker, a claim only when something
// is unheld) run one after the other in the same run, each measured for BENCH_LEASE_SECONDS (20):
// statements/s counted here, row writes and commits from Postgres' own counters, WAL bytes/s.
import postgres from 'postgres'
import { closeDatabase } from '@/lib/db'
import { claimLeases, renewLease } from '@/lib/store/instances'
import { registerWorker } from '@/lib/store/workers'
import { say } from './stack'
import { latencySummary, perSecond, type Row } from './stats'

const WORKERS = 20
const INSTANCES = 10_000
const PERIOD_MS = 2000
/** Room per simulated worker, as the 1,000 instances per worker: there is always room to claim into. */
const CAPACITY = 1000
/** The table the old protocol runs on: `instances` as it was, with its per-row lease column. */
const BEFORE = 'bench_leases_before'

type Counters = { updates: number; hotUpdates: number; inserts: number; commits: number; walBytes: number }

/** The pre-0025 protocol, statement for statement (workers/heartbeat.ts, renewLeases, claimLeases, CLAIM_BATCH 25), on its own copy of the rows. */
function oldWorker(pool: () => postgres.Sql, id: string) {
  let held = 0
  return async (): Promise<number> => {
    const sql = pool()
    await sql`update workers set heartbeat_at = now() where id = ${id}`
    held = (await sql`update ${sql(BEFORE)} set lease_expires_at = now() + make_interval(secs => 15) where worker_id = ${id} returning id, desired_state`).length
    const room = Math.min(25, CAPACITY - held)
    if (room <= 0) return 2
    const claimed = await sql`
      update ${sql(BEFORE)} set worker_id = ${id}, lease_expires_at = now() + make_interval(secs => 15)
      where id in (
        select id from ${sql(BEFORE)}
        where desired_state = 'connected' and (worker_id is null or lease_expires_at < now())
        order by lease_expires_at nulls first limit ${room}
        for update skip locked)
      returning id`
    held += claimed.length
    return 3
  }
}

/** Today's protocol, through the store's own statements. */
function newWorker(id: string) {
  let held = 0
  return async (): Promise<number> => {
    const renewal = await renewLease(id)
    if (!renewal) throw new Error(`lease of ${id} lapsed during the bench`)
    held = renewal.connected.length
    if (!renewal.claimable || held >= CAPACITY) return 1
    held += (await claimLeases(id, CAPACITY - held)).length
    return 2
  }
}

/** Runs every worker's tick each period, each worker at its own offset in the period, until `until()`; returns the statements run. */
async function loops(ticks: (() => Promise<number>)[], until: () => boolean, durations: number[] = []): Promise<number> {
  let statements = 0
  await Promise.all(
    ticks.map(async (tick, index) => {
      await new Promise((resolve) => setTimeout(resolve, (index * PERIOD_MS) / ticks.length))
      while (!until()) {
        const startedAt = performance.now()
        const ran = await tick() // not `statements += await tick()`: that reads `statements` before the await, losing the other loops' counts
        statements += ran
        durations.push(performance.now() - startedAt)
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, PERIOD_MS - (performance.now() - startedAt))))
      }
    }),
  )
  return statements
}

async function counters(probe: postgres.Sql, tables: string[]): Promise<Counters> {
  const [table] = await probe`
    select coalesce(sum(n_tup_upd), 0)::bigint as upd, coalesce(sum(n_tup_hot_upd), 0)::bigint as hot, coalesce(sum(n_tup_ins), 0)::bigint as ins
    from pg_stat_user_tables where relname = any(${tables})`
  const [db] = await probe`select xact_commit::bigint as commits from pg_stat_database where datname = current_database()`
  const [wal] = await probe`select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint as bytes`
  return { updates: Number(table.upd), hotUpdates: Number(table.hot), inserts: Number(table.ins), commits: Number(db.commits), walBytes: Number(wal.bytes) }
}

/**
 * A backend flushes its table counters when it exits: the pools are closed and their backends gone
 * before the counters are read. Backends that were there before the bench (`others`) are not waited for.
 */
async function untilPoolsGone(probe: postgres.Sql, others: number[]) {
  for (let tries = 0; tries < 100; tries++) {
    const [row] = await probe`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid() and not (pid = any(${others}::int[]))`
    if (row.n === 0) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** `tickMs`: how long each worker's tick took; a tick longer than the period makes the loop fall behind. */
type Phase = { statements: number; seconds: number; delta: Counters; tickMs: number[] }

/** Warm-up until every row is held (not measured), the pools closed, then `seconds` measured, the same workers on fresh pools. */
async function runPhase(options: {
  probe: postgres.Sql
  others: number[]
  tables: string[]
  seconds: number
  ticks: (() => Promise<number>)[]
  heldCount: () => Promise<number>
  close: () => Promise<void>
}): Promise<Phase> {
  let warm = true
  const warming = loops(options.ticks, () => !warm)
  const warmDeadline = Date.now() + 120_000
  while ((await options.heldCount()) < INSTANCES && Date.now() < warmDeadline) await new Promise((resolve) => setTimeout(resolve, 250))
  warm = false
  await warming
  await options.close()
  await untilPoolsGone(options.probe, options.others)
  const before = await counters(options.probe, options.tables)
  const startedAt = performance.now()
  const endsAt = Date.now() + options.seconds * 1000
  const durations: number[] = []
  const statements = await loops(options.ticks, () => Date.now() >= endsAt, durations)
  const seconds = (performance.now() - startedAt) / 1000
  await options.close()
  await untilPoolsGone(options.probe, options.others)
  const after = await counters(options.probe, options.tables)
  const delta = Object.fromEntries(Object.keys(after).map((key) => [key, after[key as keyof Counters] - before[key as keyof Counters]])) as Counters
  return { statements, seconds, delta, tickMs: durations }
}

export async function measureLeases(options: { databaseUrl: string; userId: string; seconds?: number }): Promise<Row[]> {
  const seconds = options.seconds ?? Number(process.env.BENCH_LEASE_SECONDS ?? 20)
  const probe = postgres(options.databaseUrl, { max: 1, onnotice: () => {} })
  try {
    const others = (await probe`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`).map((row) => row.pid as number)
    await probe`
      insert into instances (user_id, name, desired_state)
      select ${options.userId}, 'lease-' || lpad(n::text, 5, '0'), 'connected' from generate_series(1, ${INSTANCES}) n`
    // The rows as they were before 0025: the same columns, the lease column, the indexes they had.
    await probe.unsafe(`create table ${BEFORE} (like instances including defaults including constraints)`)
    await probe.unsafe(`alter table ${BEFORE} add column lease_expires_at timestamptz, add primary key (id)`)
    await probe.unsafe(`create index on ${BEFORE} (worker_id)`)
    await probe.unsafe(`create unique index on ${BEFORE} (user_id, name)`)
    await probe.unsafe(`insert into ${BEFORE} select *, null from instances where name like 'lease-%'`)
    await probe.unsafe(`update instances set desired_state = 'disconnected' where name like 'lease-%'`) // out of the old phase's way

    say(`9. old protocol: ${WORKERS} workers over ${INSTANCES.toLocaleString('en-US')} rows, ${seconds} s`)
    // Its own pool, opened again after the warm-up's is closed (closing flushes the backends' counters).
    let oldPool: postgres.Sql | undefined
    const pool = () => (oldPool ??= postgres(options.databaseUrl, { max: 10, onnotice: () => {} }))
    const oldIds = Array.from({ length: WORKERS }, (_, i) => `bench-old-${i}`)
    for (const id of oldIds) await probe`insert into workers (id, hostname, pid, capacity, version) values (${id}, 'bench', 0, ${CAPACITY}, 'bench')`
    const old = await runPhase({
      probe,
      others,
      tables: [BEFORE, 'workers'],
      seconds,
      ticks: oldIds.map((id) => oldWorker(pool, id)),
      heldCount: async () => Number((await probe.unsafe(`select count(*)::int as n from ${BEFORE} where worker_id is not null`))[0].n),
      close: async () => {
        const closing = oldPool
        oldPool = undefined
        await closing?.end({ timeout: 5 })
      },
    })
    await probe`update workers set stopped_at = now() where id like 'bench-old-%'`
    await probe.unsafe(`update ${BEFORE} set desired_state = 'disconnected'`)
    await probe`update instances set desired_state = 'connected' where name like 'lease-%'`

    say(`9. new protocol: the same, through lib/store/instances.ts`)
    const newIds = Array.from({ length: WORKERS }, (_, i) => `bench-new-${i}`)
    for (const id of newIds) await registerWorker({ id, capacity: CAPACITY, version: 'bench' })
    const fresh = await runPhase({
      probe,
      others,
      tables: ['instances', 'workers'],
      seconds,
      ticks: newIds.map((id) => newWorker(id)),
      heldCount: async () => Number((await probe`select count(*)::int as n from instances i join workers w on w.id = i.worker_id where i.name like 'lease-%' and w.stopped_at is null`)[0].n),
      close: closeDatabase,
    })

    const perWorkerPeriod = (phase: Phase) => ((phase.statements / phase.seconds) * (PERIOD_MS / 1000)) / WORKERS
    const rate = (value: number, phase: Phase) => value / phase.seconds
    const line = (phase: Phase) =>
      `${perSecond(phase.statements / phase.seconds)} statements (${perWorkerPeriod(phase).toFixed(2)} per worker per ${PERIOD_MS / 1000} s), ` +
      `${perSecond(rate(phase.delta.updates + phase.delta.inserts, phase))} row writes (${perSecond(rate(phase.delta.hotUpdates, phase))} HOT), ` +
      `${perSecond(rate(phase.delta.commits, phase))} commits, ${(rate(phase.delta.walBytes, phase) / 1024).toFixed(0)} kB WAL/s; tick ${latencySummary(phase.tickMs)}`
    say(`9. old: ${line(old)}`)
    say(`9. new: ${line(fresh)}`)
    const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(3)}×` : '')
    return [
      {
        figure: `9. lease statements/s, ${INSTANCES.toLocaleString('en-US')} instances / ${WORKERS} workers`,
        value: `${perSecond(fresh.statements / fresh.seconds)} (${perWorkerPeriod(fresh).toFixed(2)}/worker/period)`,
        floor: `before 0025: ${perSecond(old.statements / old.seconds)} (${perWorkerPeriod(old).toFixed(2)}); goal ≤ 1/worker/period`,
        ratio: ratio(fresh.statements / fresh.seconds, old.statements / old.seconds),
      },
      {
        figure: '9. lease row writes/s (n_tup_upd + ins)',
        value: perSecond(rate(fresh.delta.updates + fresh.delta.inserts, fresh)),
        floor: `before 0025: ${perSecond(rate(old.delta.updates + old.delta.inserts, old))}`,
        ratio: ratio(fresh.delta.updates + fresh.delta.inserts, old.delta.updates + old.delta.inserts),
      },
      {
        figure: '9. lease commits/s (xact_commit)',
        value: perSecond(rate(fresh.delta.commits, fresh)),
        floor: `before 0025: ${perSecond(rate(old.delta.commits, old))}`,
        ratio: ratio(rate(fresh.delta.commits, fresh), rate(old.delta.commits, old)),
      },
      {
        figure: '9. lease WAL bytes/s (whole cluster)',
        value: `${(rate(fresh.delta.walBytes, fresh) / 1024).toFixed(0)} kB/s`,
        floor: `before 0025: ${(rate(old.delta.walBytes, old) / 1024).toFixed(0)} kB/s`,
        ratio: ratio(rate(fresh.delta.walBytes, fresh), rate(old.delta.walBytes, old)),
      },
    ]
  } finally {
    // The rest of the run must not see these rows: no real worker may try to hold them.
    await closeDatabase()
    await probe`delete from instances where name like 'lease-%'`.catch(() => {})
    await probe`update workers set stopped_at = now() where id like 'bench-%' and stopped_at is null`.catch(() => {})
    await probe.unsafe(`drop table if exists ${BEFORE}`).catch(() => {})
    await probe.end()
  }
}
