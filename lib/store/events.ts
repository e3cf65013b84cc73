import 'server-only'
import type { EventType, InstanceIdentity } from '@/lib/events/types'
import { fanOutToWebhooks } from './webhook-deliveries'
import { sqlClient, type Executor } from './sql'

/**
 * Records an event in `instance_events` and fans it out to the account's webhook endpoints. Call
 * it inside the transaction of the state change that caused it, so the event and its deliveries
 * exist exactly when the change does (a crash loses neither, or both).
 */
export async function recordEvent(tx: Executor, instance: InstanceIdentity, type: EventType, data: unknown): Promise<string> {
  const [row] = await tx`
    insert into instance_events (instance_id, user_id, instance_name, event, data)
    values (${instance.id}, ${instance.userId}, ${instance.name}, ${type}, ${tx.json(data as never)})
    returning id`
  await fanOutToWebhooks(tx, { id: row.id, instance, type })
  return row.id
}

/** An event that changes no row of ours (a group update, a revoke), in a transaction of its own. */
export async function recordEventAlone(instance: InstanceIdentity, type: EventType, data: unknown): Promise<string> {
  return sqlClient().begin((tx) => recordEvent(tx, instance, type, data))
}
