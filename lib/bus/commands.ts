import 'server-only'
import { ApiError } from '@/lib/api/errors'
import { cancelIfPending, enqueueCommand, readCommand, type Command, type CommandType } from '@/lib/store/commands'
import { CHANNELS } from './channels'
import { waitForRow } from './wait'

/** Asks the instance's owning worker to run a command and waits for its outcome (see awaitCommand). */
export async function runCommand(instanceId: string, type: CommandType, payload: unknown, timeoutMs: number): Promise<unknown> {
  return awaitCommand(await enqueueCommand(instanceId, type, payload), timeoutMs)
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
    accept: (command) => (command.status === 'pending' || command.status === 'running' ? undefined : command),
    timeoutMs,
  })
  if (finished) return outcome(finished)
  if (await cancelIfPending(id)) throw new ApiError('timeout', 'No worker picked the command up in time; it was cancelled and will not run.')
  const final = await readCommand(id)
  if (final.status === 'done') return final.result
  throw new ApiError('timeout', 'The worker is still running the command; it will complete exactly once.')
}

function outcome(command: Command): unknown {
  if (command.status === 'done') return command.result
  if (command.status === 'cancelled') throw new ApiError('timeout', 'The command was cancelled before it ran.')
  throw new ApiError(command.error?.code ?? 'whatsapp_error', command.error?.message ?? undefined)
}
