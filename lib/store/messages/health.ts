// What auto-pause (workers/whatsapp/send-health.ts) and the instance page's health panel read on `messages`.
import 'server-only'
import { sqlClient } from '../sql'

/** API sends that went out in [from, to), and how many of them never got past one tick (SERVER_ACK). */
export async function deliveryOutcomes(instanceId: string, from: Date, to: Date): Promise<{ sent: number; undelivered: number }> {
  const [row] = await sqlClient()`
    select count(*)::int as sent, count(*) filter (where status = 'SERVER_ACK')::int as undelivered
    from messages
    where instance_id = ${instanceId} and via_api and from_me and sent_at >= ${from} and sent_at < ${to}`
  return { sent: row.sent as number, undelivered: row.undelivered as number }
}

export type SendFigures = {
  /** API sends that went out in the period. */
  sent: number
  /** Of those, how many reached the phone (two ticks or more) and how many were read (or played). */
  delivered: number
  read: number
  /** New chats the instance opened in the period. */
  newChats: number
}

/** The health panel's figures for [from, to): scoped to the account's instance. */
export async function sendFigures(userId: string, instanceId: string, from: Date, to: Date): Promise<SendFigures> {
  const [row] = await sqlClient()`
    select count(*)::int as sent,
      count(*) filter (where status in ('DELIVERY_ACK', 'READ', 'PLAYED'))::int as delivered,
      count(*) filter (where status in ('READ', 'PLAYED'))::int as read,
      count(*) filter (where starts_chat)::int as new_chats
    from messages
    where user_id = ${userId} and instance_id = ${instanceId} and via_api and from_me and sent_at >= ${from} and sent_at < ${to}`
  return { sent: row.sent as number, delivered: row.delivered as number, read: row.read as number, newChats: row.new_chats as number }
}
