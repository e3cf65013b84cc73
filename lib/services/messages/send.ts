import 'server-only'
import { randomBytes } from 'node:crypto'
import { sqlClient } from '@/lib/db'
import { config } from '@/lib/config'
import { ApiError, type ErrorCode } from '@/lib/api/errors'
import { CHANNELS } from '@/lib/bus/channels'
import { notify } from '@/lib/bus/listener'
import { waitForRow } from '@/lib/bus/wait'
import { WORKER_HEARTBEAT_TTL_SECONDS } from '@/lib/services/status'
import { jidOf, previewMessage, type SendContent } from './content'


export type SendingInstance = { id: string; name: string; userId: string }
export type MediaBytes = { data: Buffer; mimetype: string; fileName?: string }

export type MessageResponse = {
  key: { remoteJid: string; fromMe: true; id: string }
  message: Record<string, unknown>
  messageTimestamp: number
  status: string
}

/** WhatsApp Web's message id shape (3EB0 + hex), chosen before sending so a retried send reuses it. */
export function newMessageId(): string {
  return `3EB0${randomBytes(9).toString('hex').toUpperCase()}`
}

async function requireConnected(instance: SendingInstance): Promise<void> {
  const [row] = await sqlClient()`
    select i.state,
      exists (select 1 from workers w where w.id = i.worker_id and w.stopped_at is null
              and w.heartbeat_at > now() - make_interval(secs => ${WORKER_HEARTBEAT_TTL_SECONDS})) as held
    from instances i where i.id = ${instance.id}`
  if (!row || row.state !== 'open') throw new ApiError('instance_not_connected', `The instance "${instance.name}" is not connected to WhatsApp. Pair it first (GET connect).`)
  if (!row.held) throw new ApiError('unavailable')
}

type OutboxRow = {
  id: string
  wa_id: string
  remote_jid: string
  message: Record<string, unknown>
  message_timestamp: string | number
  status: string
  accepted_at: Date | null
  send_started_at: Date | null
  sent_at: Date | null
  error_code: string | null
  error_message: string | null
}

async function readOutboxRow(id: string): Promise<OutboxRow> {
  const [row] = await sqlClient()`
    select id, wa_id, remote_jid, message, message_timestamp, status, accepted_at, send_started_at, sent_at, error_code, error_message
    from messages where id = ${id}`
  return row as unknown as OutboxRow
}

function responseOf(row: OutboxRow): MessageResponse {
  return {
    key: { remoteJid: row.remote_jid, fromMe: true, id: row.wa_id },
    message: row.message,
    messageTimestamp: Number(row.message_timestamp),
    status: row.status,
  }
}

/**
 * Accepts a send: the message row is the outbox (written with its media in one transaction), the
 * owning worker is woken, and the request waits only until the worker has sent it, or, with a
 * delay, until it has accepted it (number checked, "typing…" shown): the delay itself is never
 * spent holding the request.
 */
export async function sendMessage(
  instance: SendingInstance,
  input: { to: string; content: SendContent; delayMs?: number; media?: MediaBytes },
): Promise<MessageResponse> {
  await requireConnected(instance)
  const sql = sqlClient()
  const remoteJid = jidOf(input.to)
  const preview = previewMessage(input.content)
  const messageType = Object.keys(preview)[0]
  const delayMs = input.delayMs ?? 0
  const waId = newMessageId()
  const now = new Date()
  const id = await sql.begin(async (tx) => {
    const [row] = await tx`
      insert into messages (instance_id, user_id, wa_id, remote_jid, from_me, message_type, message, message_timestamp, status,
                            status_history, via_api, send_content, send_after, media)
      values (${instance.id}, ${instance.userId}, ${waId}, ${remoteJid}, true, ${messageType}, ${tx.json(preview as never)},
              ${Math.floor(now.getTime() / 1000)}, 'PENDING', ${tx.json([{ status: 'PENDING', at: now.toISOString() }] as never)}, true,
              ${tx.json(input.content as never)}, ${delayMs > 0 ? new Date(now.getTime() + delayMs) : null},
              ${input.media ? tx.json({ mimetype: input.media.mimetype, fileName: input.media.fileName ?? null, size: input.media.data.length } as never) : null})
      returning id`
    if (input.media) {
      await tx`insert into message_media (message_id, data, mimetype, file_name) values (${row.id}, ${input.media.data}, ${input.media.mimetype}, ${input.media.fileName ?? null})`
    }
    return row.id as string
  })
  await notify(CHANNELS.work, instance.id)
  const settled = await waitForOutbox(id, (row) => Boolean(row.error_code || row.sent_at || (delayMs > 0 && row.accepted_at)), config().SEND_TIMEOUT_MS)
  if (settled?.error_code) throw new ApiError(settled.error_code as ErrorCode, settled.error_message ?? undefined)
  if (settled) return responseOf(settled)
  return timeOut(id)
}

/** On timeout: cancel if the worker never started it, else it will go out exactly once. */
async function timeOut(id: string): Promise<never> {
  const [cancelled] = await sqlClient()`
    update messages set status = 'ERROR', error_code = 'timeout', error_message = 'Cancelled: no worker sent it in time.',
      status_history = status_history || ${sqlClient().json([{ status: 'ERROR', at: new Date().toISOString() }] as never)}, updated_at = now()
    where id = ${id} and send_started_at is null and status = 'PENDING'
    returning wa_id`
  if (cancelled) throw new ApiError('timeout', 'The worker did not take the message in time; it was cancelled and will not be sent.', { messageId: cancelled.wa_id, willBeSent: false })
  const row = await readOutboxRow(id)
  if (row.sent_at) return responseOf(row) as never
  throw new ApiError('timeout', 'The message is being sent and will go out exactly once; follow it with GET messages/{id}.', { messageId: row.wa_id, willBeSent: true })
}

function waitForOutbox(id: string, done: (row: OutboxRow) => boolean, timeoutMs: number): Promise<OutboxRow | undefined> {
  return waitForRow({ channel: CHANNELS.messageChanged, id, read: () => readOutboxRow(id), accept: (row) => (done(row) ? row : undefined), timeoutMs })
}
