import 'server-only'
import { randomBytes } from 'node:crypto'
import { config } from '@/lib/config'
import { ApiError } from '@/lib/api/errors'
import { CHANNELS } from '@/lib/bus/channels'
import { notify } from '@/lib/bus/listener'
import { waitForRow } from '@/lib/bus/wait'
import { webMetrics } from '@/lib/metrics/web'
import { jidOf, previewMessage, type SendContent } from '@/lib/messages/content'
import { chatOf } from '@/lib/messages/lid-mapping'
import { messageKey, type MessageKeyJson } from '@/lib/messages/payloads'
import type { InstanceIdentity } from '@/lib/events/types'
import { sendability } from '@/lib/store/instances'
import { cancelUnstarted, insertOutgoing, readOutgoing, type Message } from '@/lib/store/messages'

export type SendingInstance = InstanceIdentity
/** Media bytes a request brought (upload or base64); URL media is fetched by the worker instead. */
export type MediaInput = { data: Buffer; mimetype: string; fileName?: string }

export type MessageResponse = {
  key: MessageKeyJson
  message: Record<string, unknown>
  messageTimestamp: number
  status: string
}

/** WhatsApp Web's message id shape (3EB0 + hex), chosen before sending so a retried send reuses it. */
export function newMessageId(): string {
  return `3EB0${randomBytes(9).toString('hex').toUpperCase()}`
}

async function requireConnected(instance: SendingInstance): Promise<void> {
  const { open, held } = await sendability(instance.id)
  if (!open) throw new ApiError('instance_not_connected', `The instance "${instance.name}" is not connected to WhatsApp. Pair it first (GET connect).`)
  if (!held) throw new ApiError('unavailable')
}

function responseOf(message: Message): MessageResponse {
  return { key: messageKey(message), message: message.message, messageTimestamp: message.messageTimestamp, status: message.status }
}

/**
 * Accepts a send: the message row is the outbox (written with its media in one transaction), the
 * owning worker is woken, and the request waits only until the worker has sent it, or, with a
 * delay, until it has accepted it (number checked, "typing…" shown): the delay itself is never
 * spent holding the request.
 */
export async function sendMessage(
  instance: SendingInstance,
  input: { to: string; content: SendContent; delayMs?: number; media?: MediaInput },
): Promise<MessageResponse> {
  const startedAt = performance.now()
  const outcome = (label: string) => {
    const metrics = webMetrics()
    metrics.sends.inc({ outcome: label })
    metrics.sendSeconds.observe({ outcome: label }, (performance.now() - startedAt) / 1000)
  }
  try {
    const response = await sendAndWait(instance, input)
    outcome(response.status)
    return response
  } catch (error) {
    outcome(error instanceof ApiError ? error.code : 'internal_error')
    throw error
  }
}

async function sendAndWait(
  instance: SendingInstance,
  input: { to: string; content: SendContent; delayMs?: number; media?: MediaInput },
): Promise<MessageResponse> {
  await requireConnected(instance)
  const delayMs = input.delayMs ?? 0
  // A contact's number and its LID are one chat: the message is filed (and sent) under the number
  // whenever the instance knows it.
  const chat = await chatOf(instance.id, jidOf(input.to))
  const id = await insertOutgoing({
    instance,
    waId: newMessageId(),
    remoteJid: chat.remoteJid,
    remoteJidAlt: chat.remoteJidAlt,
    preview: previewMessage(input.content),
    content: input.content,
    sendAfter: delayMs > 0 ? new Date(Date.now() + delayMs) : null,
    media: input.media ? { data: input.media.data, mimetype: input.media.mimetype, fileName: input.media.fileName ?? null } : undefined,
  })
  await notify(CHANNELS.work, instance.id)
  const settled = await waitForRow({
    channel: CHANNELS.messageChanged,
    id,
    read: () => readOutgoing(id),
    accept: (message) => (message.error || message.sentAt || (delayMs > 0 && message.acceptedAt) ? message : undefined),
    timeoutMs: config().SEND_TIMEOUT_MS,
  })
  if (settled?.error) throw new ApiError(settled.error.code, settled.error.message || undefined)
  if (settled) return responseOf(settled)
  return timeOut(id)
}

/** On timeout: cancel if the worker never started it, else it will go out exactly once. */
async function timeOut(id: string): Promise<never> {
  const cancelledWaId = await cancelUnstarted(id, 'Cancelled: no worker sent it in time.')
  if (cancelledWaId) throw new ApiError('timeout', 'The worker did not take the message in time; it was cancelled and will not be sent.', { messageId: cancelledWaId, willBeSent: false })
  const message = await readOutgoing(id)
  if (message.sentAt) return responseOf(message) as never
  throw new ApiError('timeout', 'The message is being sent and will go out exactly once; follow it with GET messages/{id}.', { messageId: message.waId, willBeSent: true })
}
