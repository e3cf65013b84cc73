import 'server-only'
import { ApiError } from '@/lib/api/errors'
import { runCommand } from '@/lib/bus/commands'
import type { PauseReason } from '@/lib/instances/send-health'
import type { InstanceStatusCode } from '@/lib/instances/status-codes'
import { clearSendPauseUnheld, findLive } from '@/lib/store/instances'
import { requestConnection } from './lifecycle'

const COMMAND_TIMEOUT_MS = 20_000

export type SendingState = {
  instanceName: string
  state: 'open' | 'connecting' | 'close'
  statusCode: InstanceStatusCode
  /** Why sending is paused, and since when; null while it may send. */
  sendPause: { reason: PauseReason; since: string } | null
}

async function sendingState(instance: { id: string; name: string }): Promise<SendingState> {
  const row = await findLive(instance.id)
  if (!row) throw new ApiError('instance_not_found')
  return {
    instanceName: row.name,
    state: row.state,
    statusCode: row.statusCode,
    sendPause: row.sendPauseReason && row.sendPausedAt ? { reason: row.sendPauseReason, since: row.sendPausedAt.toISOString() } : null,
  }
}

/**
 * Lifts an auto-pause (API and dashboard): the worker holding the instance clears it and sends what it
 * held; a banned instance nobody holds any more is cleared here and connected again (WhatsApp may
 * refuse it again, and then it pauses again). Resuming an instance that is not paused changes nothing.
 */
export async function resumeSending(instance: { id: string; userId: string; name: string }): Promise<SendingState & { resumed: boolean }> {
  const row = await findLive(instance.id)
  if (!row) throw new ApiError('instance_not_found')
  if (!row.sendPauseReason) return { ...(await sendingState(instance)), resumed: false }
  if (row.held) {
    await runCommand(instance.id, 'resume_sending', {}, COMMAND_TIMEOUT_MS)
  } else {
    await clearSendPauseUnheld(instance, { state: 'resumed', reason: null, message: 'Sending resumed.', statusCode: row.statusCode, pausedAt: null })
    if (row.desiredState === 'disconnected') await requestConnection(instance)
  }
  return { ...(await sendingState(instance)), resumed: true }
}
