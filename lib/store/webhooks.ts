import 'server-only'
import { DELIVER_TASK, DELIVERY_JOB_KEY_PREFIX, JOB_MAX_ATTEMPTS } from '@/lib/webhooks/queue'
import type { EventType, InstanceIdentity } from '@/lib/events/types'
import type { Executor } from './sql'

/**
 * Fans a just-recorded event out to the account's enabled endpoints that subscribe to its type (and
 * to its instance, when an endpoint is filtered to one): one `webhook_deliveries` row and one
 * graphile job each, in the event's own transaction, in a single statement. A rolled-back event
 * therefore produces no delivery, and a committed one cannot miss its deliveries.
 */
export async function fanOutToWebhooks(tx: Executor, event: { id: string; instance: InstanceIdentity; type: EventType }): Promise<void> {
  await tx`
    with targets as (
      select id from webhook_endpoints
      where user_id = ${event.instance.userId}
        and enabled
        and ${event.type} = any(events)
        and (instance_id is null or instance_id = ${event.instance.id})
    ), deliveries as (
      insert into webhook_deliveries (endpoint_id, event_id, user_id, next_attempt_at)
      select id, ${event.id}, ${event.instance.userId}, now() from targets
      returning id
    )
    select graphile_worker.add_job(
      ${DELIVER_TASK},
      json_build_object('deliveryId', deliveries.id, 'attempt', 1),
      max_attempts := ${JOB_MAX_ATTEMPTS},
      job_key := ${DELIVERY_JOB_KEY_PREFIX} || deliveries.id
    ) from deliveries`
}
