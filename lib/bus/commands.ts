import 'server-only'
import { sqlClient } from '@/lib/db'
import { ApiError, type ErrorCode } from '@/lib/api/errors'
import { CHANNELS } from './channels'
import { notify } from './listener'
import { waitForRow } from './wait'

export type CommandType = 'restart' | 'logout' | 'request_pairing_code' | 'send_message' | 'check_numbers' | 'mark_read' | 'download_media'

export type CommandRow = {
  id: string
  status: 'pending' | 'running' | 'done' | 'failed' | 'cancelled'
  result: unknown
  error_code: string | null
  error_message: string | null
}

/** Writes a command row for the instance's owner and wakes the workers. */
export async function enqueueCommand(instanceId: string, type: CommandType, payload: unknown = {}): Promise<string> {
  const sql = sqlClient()
  const [row] = await sql`
    insert into instance_commands (instance_id, type, payload)
    values (${instanceId}, ${type}, ${sql.json(payload as never)})
    returning id`
  await notify(CHANNELS.work, instanceId)
  return row.id
}

async function readCommand(id: string): Promise<CommandRow> {
  const [row] = await sqlClient()`select id, status, result, error_code, error_message from instance_commands where id = ${id}`
  return row as unknown as CommandRow
}

/**
 * Waits for a command to finish. The notification only wakes us; the row decides. On timeout a
 * still-pending command is cancelled (it will never run); one already running is left to finish
 * exactly once. Either way the caller gets 504 `timeout` and the message says which.
 */
export async function awaitCommand(id: string, timeoutMs: number): Promise<unknown> {
  const finished = await waitForRow({
    channel: CHANNELS.commandDone,
    id,
    read: () => readCommand(id),
    accept: (row) => (row.status === 'pending' || row.status === 'running' ? undefined : row),
    timeoutMs,
  })
  if (finished) return outcome(finished)
  const [cancelled] = await sqlClient()`
    update instance_commands set status = 'cancelled', finished_at = now()
    where id = ${id} and status = 'pending' returning id`
  if (cancelled) throw new ApiError('timeout', 'No worker picked the command up in time; it was cancelled and will not run.')
  const final = await readCommand(id)
  if (final.status === 'done') return final.result
  throw new ApiError('timeout', 'The worker is still running the command; it will complete exactly once.')
}

function outcome(row: CommandRow): unknown {
  if (row.status === 'done') return row.result
  if (row.status === 'cancelled') throw new ApiError('timeout', 'The command was cancelled before it ran.')
  throw new ApiError((row.error_code as ErrorCode) ?? 'whatsapp_error', row.error_message ?? undefined)
}
