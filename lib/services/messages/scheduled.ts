import 'server-only'
import { ApiError } from '@/lib/api/errors'
import { messageKey, type MessageKeyJson } from '@/lib/messages/payloads'
import type { InstanceIdentity } from '@/lib/events/types'
import { sendability } from '@/lib/store/instances'
import { cancelScheduled, scheduledPage } from '@/lib/store/messages'

export type ScheduledMessage = {
  key: MessageKeyJson
  message: Record<string, unknown>
  status: 'SCHEDULED'
  sendAt: string
  waiting: string | null
}

/** The page cursor: where the previous page ended, (send_at, row id), opaque to the caller. */
function encodeCursor(last: { sendAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([last.sendAt.toISOString(), last.id])).toString('base64url')
}

function decodeCursor(cursor: string): { sendAt: Date; id: string } {
  try {
    const [sendAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    const at = new Date(sendAt)
    if (typeof sendAt === 'string' && !Number.isNaN(at.getTime()) && typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id)) return { sendAt: at, id }
  } catch {
    // fall through to the 400 below
  }
  throw new ApiError('invalid_request', 'Use the nextCursor of the previous page.', [{ field: 'cursor', message: 'Use the nextCursor of the previous page' }])
}

/**
 * Why a scheduled send whose time has come is still here. Worked out when asked, from the instance's
 * state, so it is right even while no worker is alive to write it down.
 */
async function waitingReason(instance: InstanceIdentity, dueSinceMs: number): Promise<string> {
  const { open, held } = await sendability(instance.id)
  if (!open) return `Due, waiting for the instance "${instance.name}" to connect to WhatsApp; it goes out as soon as it does.`
  if (!held) return 'Due, waiting for a worker to take the instance over; it goes out as soon as one does.'
  // A worker that died a moment ago still looks alive until its heartbeat goes stale.
  if (dueSinceMs > 2_000) return 'Due, waiting for the worker holding the instance; if it stopped, another takes the instance over within about 15 s.'
  return 'Due, going out now.'
}

/** GET chat/scheduled: the instance's scheduled sends, soonest first. */
export async function listScheduled(
  instance: InstanceIdentity,
  query: { limit: number; cursor?: string },
): Promise<{ messages: ScheduledMessage[]; nextCursor: string | null }> {
  const page = await scheduledPage(instance.userId, instance.id, { limit: query.limit, after: query.cursor ? decodeCursor(query.cursor) : undefined })
  const now = Date.now()
  const soonest = page.messages[0]?.sendAt?.getTime()
  const reason = soonest !== undefined && soonest <= now ? await waitingReason(instance, now - soonest) : null
  return {
    messages: page.messages.map((message) => ({
      key: messageKey(message),
      message: message.message,
      status: 'SCHEDULED',
      sendAt: message.sendAt!.toISOString(),
      waiting: message.sendAt!.getTime() <= now ? reason : null,
    })),
    nextCursor: page.last ? encodeCursor(page.last) : null,
  }
}

/** DELETE messages/{id}: calls off a scheduled send that is not yet due. */
export async function cancelScheduledSend(instance: InstanceIdentity, waId: string): Promise<{ key: MessageKeyJson; status: 'CANCELLED' }> {
  const outcome = await cancelScheduled(instance, waId)
  if (outcome === 'unknown') throw new ApiError('not_found', `No message with id "${waId}" sent from this instance.`)
  if (outcome === 'started') {
    throw new ApiError('already_sent', 'Only a scheduled send can be cancelled, until its time comes; this one is on its way or was sent.')
  }
  return { key: outcome.key, status: 'CANCELLED' }
}
