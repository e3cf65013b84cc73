import { sql } from 'drizzle-orm'
import { pgTable, text, integer, timestamp, uuid, uniqueIndex, index, check, bigint, primaryKey } from 'drizzle-orm/pg-core'
import { users } from './accounts'

/** API keys are stored only as a SHA-256 hash plus a short display prefix; the plaintext is never kept. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    hash: text('hash').notNull(),
    /** `instance`: the data plane (and the event log) of the account's instances; `account`: also manages instances, webhooks and instance keys. */
    scope: text('scope', { enum: ['instance', 'account'] }).notNull().default('instance'),
    rateLimit: integer('rate_limit').notNull().default(60),
    /** Empty means every instance of the account. */
    pinnedInstanceIds: uuid('pinned_instance_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** Empty means any source address. */
    cidrs: text('cidrs').array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('api_keys_hash_unique').on(table.hash),
    index('api_keys_user_idx').on(table.userId),
    check('api_keys_rate_limit_range', sql`${table.rateLimit} between 1 and 100000`),
    check('api_keys_scope_known', sql`${table.scope} in ('instance', 'account')`),
  ],
)

/**
 * The built-in rate limiter: one counter per (bucket, fixed window); the sliding window weighs the
 * previous window's count, like Upstash's algorithm, so both backends behave the same.
 */
export const rateLimitWindows = pgTable(
  'rate_limit_windows',
  {
    bucket: text('bucket').notNull(),
    windowStart: bigint('window_start', { mode: 'number' }).notNull(),
    hits: integer('hits').notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.bucket, table.windowStart] })],
)

/**
 * Single-use tickets that open the event stream from a browser, where neither WebSocket nor
 * EventSource can send an Authorization header: minted with a key (POST /api/v1/events/tickets),
 * passed as `?ticket=`, valid 60 s, deleted when used. Stored as a SHA-256 hash like keys.
 */
export const eventStreamTickets = pgTable(
  'event_stream_tickets',
  {
    hash: text('hash').primaryKey(),
    keyId: uuid('key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('event_stream_tickets_expires_idx').on(table.expiresAt)],
)
