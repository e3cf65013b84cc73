import 'server-only'
import { DEFAULT_RETENTION, type Retention } from '@/lib/retention/policy'
import { sqlClient } from './sql'

/**
 * The `account_retention` table: one row per account that changed its retention. A missing row or
 * column means the default (lib/retention/policy.ts), so changing a default reaches every account
 * that never chose.
 */

/** The account's retention in effect, defaults filled in. */
export async function readRetention(userId: string): Promise<Retention> {
  const [row] = await sqlClient()`
    select messages_days, media_days, events_days, webhook_deliveries_days from account_retention where user_id = ${userId}`
  return withDefaults(row)
}

export async function saveRetention(userId: string, retention: Retention): Promise<void> {
  await sqlClient()`
    insert into account_retention (user_id, messages_days, media_days, events_days, webhook_deliveries_days)
    values (${userId}, ${retention.messagesDays}, ${retention.mediaDays}, ${retention.eventsDays}, ${retention.webhookDeliveriesDays})
    on conflict (user_id) do update set
      messages_days = excluded.messages_days, media_days = excluded.media_days, events_days = excluded.events_days,
      webhook_deliveries_days = excluded.webhook_deliveries_days, updated_at = now()`
}

export type AccountToPrune = { userId: string; instanceIds: string[]; retention: Retention }

/** Every account with its instances and its retention in effect: what the pruning job walks. */
export async function accountsToPrune(): Promise<AccountToPrune[]> {
  const rows = await sqlClient()`
    select users.id as user_id, retention.messages_days, retention.media_days, retention.events_days, retention.webhook_deliveries_days,
      coalesce((select array_agg(instances.id) from instances where instances.user_id = users.id), '{}') as instance_ids
    from users left join account_retention retention on retention.user_id = users.id
    order by users.id`
  return rows.map((row) => ({ userId: row.user_id as string, instanceIds: row.instance_ids as string[], retention: withDefaults(row) }))
}

function withDefaults(row: Record<string, unknown> | undefined): Retention {
  return {
    messagesDays: (row?.messages_days as number | null) ?? DEFAULT_RETENTION.messagesDays,
    mediaDays: (row?.media_days as number | null) ?? DEFAULT_RETENTION.mediaDays,
    eventsDays: (row?.events_days as number | null) ?? DEFAULT_RETENTION.eventsDays,
    webhookDeliveriesDays: (row?.webhook_deliveries_days as number | null) ?? DEFAULT_RETENTION.webhookDeliveriesDays,
  }
}
