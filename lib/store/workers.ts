import 'server-only'
import { hostname } from 'node:os'
import { sqlClient, type Executor } from './sql'

/**
 * A worker whose heartbeat (its lease: workers/lease.ts renews it every 2 s, with the list of what it
 * holds) is older than this is dead; its instances go to the live workers.
 */
export const WORKER_HEARTBEAT_TTL_SECONDS = 10

/**
 * The one definition of "a live worker", as a condition on the `workers` row aliased `w`: every
 * "is this instance held by a live worker" question in the store is asked through it.
 */
export function liveWorker(sql: Executor) {
  return sql`w.stopped_at is null and w.heartbeat_at > now() - make_interval(secs => ${WORKER_HEARTBEAT_TTL_SECONDS})`
}

/** `exists (live worker with id = <column>)`, for a worker id column of the outer query. */
export function heldByLiveWorker(sql: Executor, workerIdColumn: string) {
  return sql`exists (select 1 from workers w where w.id = ${sql(workerIdColumn)} and ${liveWorker(sql)})`
}

export async function liveWorkerCount(): Promise<number> {
  const sql = sqlClient()
  const [row] = await sql`select count(*)::int as alive from workers w where ${liveWorker(sql)}`
  return Number(row.alive)
}

export async function registerWorker(worker: { id: string; capacity: number; version: string }): Promise<void> {
  const sql = sqlClient()
  await sql`
    insert into workers (id, hostname, pid, capacity, version)
    values (${worker.id}, ${hostname()}, ${process.pid}, ${worker.capacity}, ${worker.version})`
  // Rows of workers long gone only clutter the table; one still named as an owner stays, so its
  // instances can be claimed (lib/store/instances.ts claims from stopped owners).
  await sql`delete from workers w where w.heartbeat_at < now() - interval '1 day' and not exists (select 1 from instances i where i.worker_id = w.id)`
}

/**
 * A clean stop, after its instances were released: a stopped worker holds nothing (claims rely on it).
 * One that could not release them stays unstopped; its lease lapses and the next claimer frees them.
 */
export async function markWorkerStopped(workerId: string): Promise<void> {
  await sqlClient()`
    update workers w set stopped_at = now()
    where w.id = ${workerId} and not exists (select 1 from instances i where i.worker_id = w.id)`
}
