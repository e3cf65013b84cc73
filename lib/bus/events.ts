import 'server-only'
import type { Sql, TransactionSql } from 'postgres'

export const EVENT_TYPES = [
  'MESSAGES_UPSERT',
  'MESSAGES_UPDATE',
  'MESSAGES_DELETE',
  'SEND_MESSAGE_UPDATE',
  'CONNECTION_UPDATE',
  'QRCODE_UPDATED',
  'GROUPS_UPSERT',
  'GROUP_UPDATE',
  'GROUP_PARTICIPANTS_UPDATE',
] as const
export type EventType = (typeof EVENT_TYPES)[number]

export type InstanceIdentity = { id: string; userId: string; name: string }

type Executor = Sql | TransactionSql

type EventFanOut = (sql: Executor, event: { id: string; instance: InstanceIdentity; type: EventType }) => Promise<void>
const fanOuts: EventFanOut[] = []

/** Webhook delivery registers here, so every recorded event is fanned out in the same transaction. */
export function onEventRecorded(fanOut: EventFanOut): void {
  fanOuts.push(fanOut)
}

/**
 * Records an event. Call it inside the transaction of the state change that caused it, so the
 * event exists exactly when the change does (a crash loses neither, or both).
 */
export async function recordEvent(sql: Executor, instance: InstanceIdentity, type: EventType, data: unknown): Promise<string> {
  const [row] = await sql`
    insert into instance_events (instance_id, user_id, instance_name, event, data)
    values (${instance.id}, ${instance.userId}, ${instance.name}, ${type}, ${sql.json(data as never)})
    returning id`
  for (const fanOut of fanOuts) await fanOut(sql, { id: row.id, instance, type })
  return row.id
}
