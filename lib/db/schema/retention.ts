import { sql } from 'drizzle-orm'
import { pgTable, uuid, integer, timestamp, check } from 'drizzle-orm/pg-core'
import { users } from './accounts'

/**
 * How long an account keeps its data, in days; a missing row (or a null column) means the default in
 * lib/retention/policy.ts. The worker's pruning job (workers/events/retention.ts) deletes what is older.
 */
export const accountRetention = pgTable(
  'account_retention',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    messagesDays: integer('messages_days'),
    mediaDays: integer('media_days'),
    eventsDays: integer('events_days'),
    webhookDeliveriesDays: integer('webhook_deliveries_days'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // The same bounds as lib/retention/policy.ts, so a row written past the service still cannot keep data forever.
    check('account_retention_messages_range', sql`${table.messagesDays} between 1 and 3650`),
    check('account_retention_media_range', sql`${table.mediaDays} between 1 and 3650`),
    check('account_retention_events_range', sql`${table.eventsDays} between 1 and 30`),
    check('account_retention_deliveries_range', sql`${table.webhookDeliveriesDays} between 1 and 90`),
  ],
)
