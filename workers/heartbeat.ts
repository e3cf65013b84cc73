import { hostname } from 'node:os'
import { sqlClient } from '@/lib/db'
import type { Logger } from '@/lib/log'

export const HEARTBEAT_INTERVAL_MS = 2000

/** Registers this worker and keeps its heartbeat fresh; the web tier reads it for /status. */
export async function startHeartbeat(options: { workerId: string; capacity: number; version: string; log: Logger }) {
  const sql = sqlClient()
  await sql`
    insert into workers (id, hostname, pid, capacity, version)
    values (${options.workerId}, ${hostname()}, ${process.pid}, ${options.capacity}, ${options.version})`
  // Rows of workers long gone only clutter the table.
  await sql`delete from workers where heartbeat_at < now() - interval '1 day'`

  const beat = async () => {
    try {
      await sql`update workers set heartbeat_at = now() where id = ${options.workerId}`
    } catch (error) {
      options.log.warn({ err: error }, 'heartbeat failed; will retry')
    }
  }
  const timer = setInterval(beat, HEARTBEAT_INTERVAL_MS)
  return {
    stop: async () => {
      clearInterval(timer)
      await sql`update workers set stopped_at = now() where id = ${options.workerId}`
    },
  }
}
