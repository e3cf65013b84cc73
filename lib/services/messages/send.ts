import 'server-only'
import { createHash, randomBytes } from 'node:crypto'
import { v7 as uuidv7 } from 'uuid'
import { config } from '@/lib/config'
import { ApiError } from '@/lib/api/errors'
import { IDEMPOTENCY_WINDOW_HOURS } from '@/lib/api/idempotency'
import { currentIdempotencyScope, type IdempotencyScope } from '@/lib/api/idempotency-scope'
import { CHANNELS } from '@/lib/bus/channels'
import { notify } from '@/lib/bus/listener'
import { watchChannel } from '@/lib/bus/wait'
import { webMetrics } from '@/lib/metrics/web'
import { jidOf, previewMessage, type SendContent } from '@/lib/messages/content'
import { chatOf } from '@/lib/messages/lid-mapping'
import { messageKey, type MessageKeyJson } from '@/lib/messages/payloads'
import type { InstanceIdentity } from '@/lib/events/types'
import { sendability } from '@/lib/store/instances'
import { requireSandboxSendRoom } from '@/lib/services/sandbox/limits'
import { MediaStorageError } from '@/lib/media/bucket'
import { discardPlacedMedia, placeMedia } from '@/lib/media/files'
import { cancelUnstarted, findApiSend, insertOutgoing, readOutgoing, type Message, type StoredMedia } from '@/lib/store/messages'

export type SendingInstance = InstanceIdentity
/** Media bytes a request brought (upload or base64); URL media is fetched by the worker instead. */
export type MediaInput = { data: Buffer; mimetype: string; fileName?: string }

export type MessageResponse = {
  key: MessageKeyJson
  message: Record<string, unknown>
  messageTimestamp: number
  status: string
  /** Scheduled sends: when it goes out. */
  sendAt?: string
  /** Held by the send policy: when it goes out, and why it waits. */
  plannedAt?: string
  policyReason?: string
}

export type SendInput = {
  to: string
  content: SendContent
  delayMs?: number
  /**
   * Send at this time instead of now. The answer comes at once (SCHEDULED); at `sendAt` the send
   * goes on as any other, so a `delay` with it shows "typing…" from `sendAt` and sends after it.
   */
  sendAt?: string
  /** `transactional` skips the send policy's pacing (it still counts toward its caps). */
  priority?: 'normal' | 'transactional'
  media?: MediaInput
}

/** WhatsApp Web's message id shape (3EB0 + hex), chosen before sending so a retried send reuses it. */
export function newMessageId(): string {
  return `3EB0${randomBytes(9).toString('hex').toUpperCase()}`
}

/**
 * The id of a send made under an Idempotency-Key, in the same shape: derived from the account and the
 * key (and, after a spent send, from the id before it), so every retry of the send computes the same
 * id and meets the row the first attempt may have committed.
 */
export function keyedMessageId(userId: string, key: string, previous = ''): string {
  return `3EB0${createHash('sha256').update(`${userId}\n${key}\n${previous}`).digest('hex').slice(0, 18).toUpperCase()}`
}

/** A keyed send the key may replace: it did nothing (cancelled, or refused before it started) or it is older than the key's window. */
function isSpent(message: Message): boolean {
  const expired = Date.now() - message.createdAt.getTime() > IDEMPOTENCY_WINDOW_HOURS * 3_600_000
  return expired || message.status === 'CANCELLED' || (message.status === 'ERROR' && !message.sendStartedAt)
}

type OutgoingFields = Omit<Parameters<typeof insertOutgoing>[0], 'waId' | 'requestHash'>

/**
 * Writes a send made under an Idempotency-Key, or finds the one an earlier attempt with the key made
 * (whether or not that attempt lived to answer): the same request waits on that send; another
 * request with the key is a conflict. Spent sends are stepped over along a chain of ids every
 * attempt walks alike.
 */
async function placeKeyedSend(fields: OutgoingFields, scope: IdempotencyScope): Promise<string> {
  let waId = keyedMessageId(scope.userId, scope.key)
  for (let step = 0; step < 100; step++) {
    const id = await insertOutgoing({ ...fields, waId, requestHash: scope.fingerprint })
    if (id) return id
    const existing = await findApiSend(fields.instance.userId, waId)
    if (!existing) continue // gone in between (its instance was deleted): the id is free again
    if (isSpent(existing.message)) {
      waId = keyedMessageId(scope.userId, scope.key, waId)
      continue
    }
    if (existing.requestHash !== scope.fingerprint) {
      throw new ApiError('idempotency_conflict', 'This Idempotency-Key was already used with a different request.')
    }
    return existing.message.id
  }
  throw new Error('No free message id along this Idempotency-Key’s chain.')
}

async function requireConnected(instance: SendingInstance): Promise<void> {
  const { open, held } = await sendability(instance.id)
  if (!open) throw new ApiError('instance_not_connected', `The instance "${instance.name}" is not connected to WhatsApp. Pair it first (GET connect).`)
  if (!held) throw new ApiError('unavailable')
}

function responseOf(message: Message): MessageResponse {
  return {
    key: messageKey(message),
    message: message.message,
    messageTimestamp: message.messageTimestamp,
    status: message.status,
    ...(message.sendAt ? { sendAt: message.sendAt.toISOString() } : {}),
    ...(message.status === 'QUEUED_BY_POLICY' && message.plannedAt ? { plannedAt: message.plannedAt.toISOString() } : {}),
    ...(message.status === 'QUEUED_BY_POLICY' && message.policyReason ? { policyReason: message.policyReason } : {}),
  }
}

/**
 * Accepts a send: the message row is the outbox (written with its media in one transaction), the
 * owning worker is woken, and the request waits only until the worker has sent it, or, with a
 * delay, until it has accepted it (number checked, "typing…" shown): the delay itself is never
 * spent holding the request.
 */
export async function sendMessage(instance: SendingInstance, input: SendInput): Promise<MessageResponse> {
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

async function sendAndWait(instance: SendingInstance, input: SendInput): Promise<MessageResponse> {
  // A contact's number and its LID are one chat: the message is filed (and sent) under the number
  // whenever the instance knows it. Read alongside the checks (two reads, one wait).
  const chatRead = chatOf(instance.id, jidOf(input.to))
  chatRead.catch(() => {}) // a refused send below does not wait for it
  // A scheduled send waits for its instance at its time (GET chat/scheduled says so), not now.
  if (!input.sendAt) await requireConnected(instance)
  if (instance.sandbox) await requireSandboxSendRoom(instance)
  const delayMs = input.delayMs ?? 0
  const sendAt = input.sendAt ? new Date(input.sendAt) : null
  const dueAt = sendAt?.getTime() ?? Date.now()
  const chat = await chatRead
  const rowId = uuidv7()
  const media = input.media ? await storeUpload(instance, rowId, input.media) : undefined
  const fields: OutgoingFields = {
    id: rowId,
    instance,
    remoteJid: chat.remoteJid,
    remoteJidAlt: chat.remoteJidAlt,
    preview: previewMessage(input.content),
    content: input.content,
    sendAfter: delayMs > 0 ? new Date(dueAt + delayMs) : null,
    sendAt,
    transactional: input.priority === 'transactional',
    media,
  }
  const scope = currentIdempotencyScope()
  // Listening before the insert: whatever the worker does to the row after it wakes this request.
  const watch = await watchChannel(CHANNELS.messageChanged)
  try {
    let id: string | undefined
    try {
      id = scope ? await placeKeyedSend(fields, scope) : await insertOutgoing({ ...fields, waId: newMessageId() })
    } finally {
      // An object placed for a row that was not written (or an earlier attempt's row was found) belongs to nobody.
      if (id !== rowId) await discardPlacedMedia(media)
    }
    if (!id) throw new Error('A fresh random message id was already taken.')
    // A new row woke the outbox with its own insert; one an earlier attempt wrote may still be waiting.
    if (id !== rowId) await notify(CHANNELS.outbox, instance.id)
    if (sendAt) return responseOf(await readOutgoing(id))
    const messageId = id
    const settled = await watch.waitForRow({
      id: messageId,
      read: () => readOutgoing(messageId),
      // A row this request just wrote has nothing to show until the worker touches it (which wakes
      // us); one an earlier attempt wrote may have settled long ago.
      readFirst: id !== rowId,
      // A send the policy holds answers with its planned time rather than waiting it out.
      accept: (message) => (message.error || message.sentAt || message.status === 'QUEUED_BY_POLICY' || (delayMs > 0 && message.acceptedAt) ? message : undefined),
      timeoutMs: config().SEND_TIMEOUT_MS,
    })
    if (settled?.error) throw new ApiError(settled.error.code, settled.error.message || undefined)
    if (settled) return responseOf(settled)
    return timeOut(messageId)
  } finally {
    watch.close()
  }
}

/**
 * The request's media, kept before the message is written: a bucket that refuses it fails the send
 * here, with nothing recorded and nothing sent (503 media_storage_unavailable).
 */
async function storeUpload(instance: SendingInstance, rowId: string, media: MediaInput): Promise<StoredMedia> {
  try {
    return await placeMedia(instance, rowId, { data: media.data, mimetype: media.mimetype, fileName: media.fileName ?? null })
  } catch (error) {
    if (error instanceof MediaStorageError) throw new ApiError('media_storage_unavailable', `${error.message} The message was not sent.`)
    throw error
  }
}

/** On timeout: cancel if the worker never started it, else it will go out exactly once. */
async function timeOut(id: string): Promise<never> {
  const cancelledWaId = await cancelUnstarted(id, 'Cancelled: no worker sent it in time.')
  if (cancelledWaId) throw new ApiError('timeout', 'The worker did not take the message in time; it was cancelled and will not be sent.', { messageId: cancelledWaId, willBeSent: false })
  const message = await readOutgoing(id)
  if (message.sentAt) return responseOf(message) as never
  throw new ApiError('timeout', 'The message is being sent and will go out exactly once; follow it with GET messages/{id}.', { messageId: message.waId, willBeSent: true })
}
