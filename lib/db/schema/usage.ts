import { pgTable, text, integer, timestamp, uuid, primaryKey, index } from 'drizzle-orm/pg-core'
import { users } from './accounts'

export const USAGE_SUBJECTS = ['key', 'instance'] as const
export const USAGE_METRICS = ['requests_2xx', 'requests_4xx', 'requests_5xx', 'rate_limited'] as const

/**
 * API calls counted per hour, per key and per instance (the dashboard's usage charts). Written in
 * batches by each web process (`lib/usage/counter.ts`), never a row per request. Messages and
 * webhook deliveries are counted from their own tables when read.
 */
export const usageHourly = pgTable(
  'usage_hourly',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    subjectKind: text('subject_kind', { enum: USAGE_SUBJECTS }).notNull(),
    /** The key's or the instance's id (no foreign key: the history outlives a revoked key or a deleted instance until the account goes). */
    subjectId: uuid('subject_id').notNull(),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    metric: text('metric', { enum: USAGE_METRICS }).notNull(),
    count: integer('count').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.subjectId, table.hour, table.metric] }),
    index('usage_hourly_user_hour_idx').on(table.userId, table.hour),
  ],
)
