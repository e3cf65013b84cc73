import 'server-only'
import { ApiError } from '@/lib/api/errors'
import { runCommand } from '@/lib/bus/commands'
import { pauseMessage, type PauseReason } from '@/lib/instances/send-health'
import { dayOf, newChatCap } from '@/lib/messages/send-policy'
import { healthEventsSince } from '@/lib/store/events'
import { readInstanceSettings } from '@/lib/store/instance-settings'
import { firstApiSendAt, sendFigures } from '@/lib/store/messages'
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

const DAY_MS = 86_400_000

/** The instance page's health panel: today against the caps, the last 7 days' rates, and the pauses. */
export type InstanceHealth = {
  sendPause: { reason: PauseReason; since: string; message: string } | null
  today: { sent: number; newChats: number; newChatCap: number | null; minGapMs: number; timeZone: string }
  week: { sent: number; delivered: number; read: number; newChats: number; deliveryRate: number | null; readRate: number | null }
  pauses: { at: string; reason: PauseReason; message: string }[]
}

export async function instanceHealth(instance: { id: string; userId: string; name: string }): Promise<InstanceHealth> {
  const now = Date.now()
  const [row, settings, firstSend] = await Promise.all([findLive(instance.id), readInstanceSettings(instance.id), firstApiSendAt(instance.id)])
  if (!row) throw new ApiError('instance_not_found')
  const policy = settings.sendPolicy
  const today = dayOf(now, policy.timeZone)
  const dayIndex = firstSend ? Math.round((today.start - dayOf(firstSend.getTime(), policy.timeZone).start) / DAY_MS) : 0
  const cap = newChatCap(policy, dayIndex)
  const weekFrom = new Date(now - 7 * DAY_MS)
  const [todays, week, events] = await Promise.all([
    sendFigures(instance.userId, instance.id, new Date(today.start), new Date(today.end)),
    sendFigures(instance.userId, instance.id, weekFrom, new Date(now)),
    healthEventsSince(instance.userId, instance.id, weekFrom),
  ])
  const rate = (part: number) => (week.sent ? part / week.sent : null)
  return {
    sendPause: row.sendPauseReason && row.sendPausedAt ? { reason: row.sendPauseReason, since: row.sendPausedAt.toISOString(), message: pauseMessage(row.sendPauseReason) } : null,
    today: { sent: todays.sent, newChats: todays.newChats, newChatCap: Number.isFinite(cap) ? cap : null, minGapMs: policy.minGapMs, timeZone: policy.timeZone },
    week: { ...week, deliveryRate: rate(week.delivered), readRate: rate(week.read) },
    pauses: events
      .filter((event) => event.data.state === 'paused' && typeof event.data.reason === 'string')
      .map((event) => ({ at: event.at.toISOString(), reason: event.data.reason as PauseReason, message: String(event.data.message ?? '') })),
  }
}
