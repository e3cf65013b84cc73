import { sql } from 'drizzle-orm'
import { pgTable, text, integer, timestamp, uuid, uniqueIndex, index, check } from 'drizzle-orm/pg-core'

/** An account is one user in v1; every customer-owned row points at users.id. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    /** Bumped on password reset so every session minted before it stops working. */
    sessionVersion: integer('session_version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('users_email_unique').on(sql`lower(${table.email})`),
    check('users_email_lowercase', sql`${table.email} = lower(${table.email})`),
  ],
)

/** Single-use, expiring links sent by email; only a hash of the token is stored. */
export const emailTokens = pgTable(
  'email_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['verify_email', 'reset_password'] }).notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('email_tokens_hash_unique').on(table.tokenHash), index('email_tokens_user_idx').on(table.userId)],
)

/** Outside production with no Resend key, every email lands here so a local user can click its link. */
export const devMailbox = pgTable('dev_mailbox', {
  id: uuid('id').primaryKey().defaultRandom(),
  to: text('to').notNull(),
  subject: text('subject').notNull(),
  text: text('text').notNull(),
  html: text('html').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

/**
 * Failed log-in counters, one row per bucket (an address, an address + email, an email); the bucket
 * is a SHA-256 so neither addresses nor emails are kept in the clear. A bucket over its budget is
 * refused until `blocked_until`, and each further failure doubles the wait.
 */
export const loginThrottles = pgTable('login_throttles', {
  bucket: text('bucket').primaryKey(),
  failures: integer('failures').notNull().default(0),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull().defaultNow(),
  blockedUntil: timestamp('blocked_until', { withTimezone: true }),
})
