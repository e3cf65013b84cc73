import 'server-only'
import { sqlClient } from '@/lib/db'
import { ApiError, type ErrorCode } from '@/lib/api/errors'
import { CHANNELS } from './channels'
import { notify, subscribe } from './listener'

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
  let wake: () => void = () => {}
  const unsubscribe = await subscribe(CHANNELS.commandDone, (payload) => {
    if (payload === id) wake()
  })
  try {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const row = await readCommand(id)
      if (row.status === 'done') return row.result
      if (row.status === 'failed') throw new ApiError((row.error_code as ErrorCode) ?? 'whatsapp_error', row.error_message ?? undefined)
      if (row.status === 'cancelled') throw new ApiError('timeout', 'The command was cancelled before it ran.')
      const remaining = deadline - Date.now()
      if (remaining <= 0) break
      // Re-read at least every second in case a notification was missed (e.g. a reconnect).
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 1000))
        wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
    const [cancelled] = await sqlClient()`
      update instance_commands set status = 'cancelled', finished_at = now()
      where id = ${id} and status = 'pending' returning id`
    if (cancelled) throw new ApiError('timeout', 'No worker picked the command up in time; it was cancelled and will not run.')
    const final = await readCommand(id)
    if (final.status === 'done') return final.result
    throw new ApiError('timeout', 'The worker is still running the command; it will complete exactly once. Check its result later.')
  } finally {
    unsubscribe()
  }
}
