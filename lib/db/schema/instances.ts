import { sql } from 'drizzle-orm'
import { pgTable, text, timestamp, uuid, uniqueIndex, check } from 'drizzle-orm/pg-core'
import { users } from './accounts'

export const INSTANCE_STATES = ['close', 'connecting', 'open'] as const
export type InstanceState = (typeof INSTANCE_STATES)[number]

export const instances = pgTable(
  'instances',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    state: text('state', { enum: INSTANCE_STATES }).notNull().default('close'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('instances_user_name_unique').on(table.userId, table.name),
    check('instances_name_format', sql`${table.name} ~ '^[a-z0-9-]{3,40}$'`),
  ],
)
