// What the send policy (workers/messaging/pacing.ts) reads and writes on `messages`.
import 'server-only'
import { CHANNELS } from '@/lib/bus/channels'
import { notify } from '@/lib/bus/listener'
import { messageKey } from '@/lib/messages/payloads'
import type { InstanceIdentity } from '@/lib/events/types'
import { recordEvent } from '../events'
import { appendHistory, dateOrNull, sqlClient } from '../sql'
import { type Message, type PolicyReason } from './row'

/**
 * The send policy holds a send until `plannedAt`: QUEUED_BY_POLICY (announced as SEND_MESSAGE_UPDATE
 * with the time and the reason, once per planning), and the waiting web request answers with it. A
 * send held because the instance's sending is paused has no time (`plannedAt` null) until a resume.
 */
export async function markHeld(instance: InstanceIdentity, id: string, hold: { plannedAt: Date | null; reason: PolicyReason; startsChat: boolean }): Promise<void> {
  await sqlClient().begin(async (tx) => {
    const [row] = await tx`
      update messages set status = 'QUEUED_BY_POLICY', planned_at = ${hold.plannedAt}, policy_reason = ${hold.reason}, starts_chat = ${hold.startsChat},
        status_history = case when status = 'QUEUED_BY_POLICY' then status_history else ${appendHistory(tx, 'QUEUED_BY_POLICY')} end, updated_at = now()
      where id = ${id} and status in ('PENDING', 'QUEUED_BY_POLICY')
      returning remote_jid, remote_jid_alt, wa_id`
    if (!row) return
    const key = messageKey({ remoteJid: row.remote_jid, remoteJidAlt: row.remote_jid_alt, fromMe: true, waId: row.wa_id })
    await recordEvent(tx, instance, 'SEND_MESSAGE_UPDATE', { key, status: 'QUEUED_BY_POLICY', plannedAt: hold.plannedAt?.toISOString() ?? null, reason: hold.reason })
  })
  await notify(CHANNELS.messageChanged, id)
}

/** Whether the send opens a chat: nobody in it ever wrote to this number, and no earlier send to it is counted. */
export async function opensNewChat(instanceId: string, message: Pick<Message, 'id' | 'remoteJid' | 'remoteJidAlt' | 'createdAt'>): Promise<boolean> {
  const chats = [message.remoteJid, message.remoteJidAlt].filter((jid): jid is string => Boolean(jid))
  const [row] = await sqlClient()`
    select exists (
      select 1 from messages m
      where m.instance_id = ${instanceId} and m.id <> ${message.id} and (m.remote_jid = any(${chats}) or m.remote_jid_alt = any(${chats}))
        and (not m.from_me or (m.created_at <= ${message.createdAt} and m.status not in ('ERROR', 'CANCELLED', 'SCHEDULED')))
    ) as known`
  return !row.known
}

export async function markStartsChat(id: string, startsChat: boolean): Promise<void> {
  await sqlClient()`update messages set starts_chat = ${startsChat} where id = ${id}`
}

/** New chats the instance opened (or plans to open) in [start, end): what the daily new-chat cap counts. */
export async function newChatsBetween(instanceId: string, start: Date, end: Date): Promise<number> {
  const [row] = await sqlClient()`
    select count(*)::int as n from messages
    where instance_id = ${instanceId} and from_me and via_api and starts_chat and status not in ('ERROR', 'CANCELLED')
      and coalesce(planned_at, sent_at, created_at) >= ${start} and coalesce(planned_at, sent_at, created_at) < ${end}`
  return row.n as number
}

/** When the instance first sent through the API: day 0 of the send policy's warm-up. */
export async function firstApiSendAt(instanceId: string): Promise<Date | null> {
  const [row] = await sqlClient()`select min(sent_at) as at from messages where instance_id = ${instanceId} and via_api and from_me`
  return dateOrNull(row.at)
}

/** When the instance's last API send went out: the send policy's gap runs from there (also after a takeover). */
export async function lastApiSendAt(instanceId: string): Promise<Date | null> {
  const [row] = await sqlClient()`select max(sent_at) as at from messages where instance_id = ${instanceId} and via_api and from_me`
  return dateOrNull(row.at)
}
