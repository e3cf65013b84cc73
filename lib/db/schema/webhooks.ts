import { sql } from 'drizzle-orm'
import { pgTable, text, timestamp, uuid, index, boolean, integer, customType, bigint, jsonb, check } from 'drizzle-orm/pg-core'
import { users } from './accounts'
import { instances, instanceEvents } from './instances'

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' })

export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    events: text('events').array().notNull(),
    /** Only this instance's events; null = every instance of the account. */
    instanceId: uuid('instance_id').references(() => instances.id, { onDelete: 'cascade' }),
    /** Signing secrets are encrypted at rest with SAGE_ENCRYPTION_KEY. */
    secret: bytea('secret').notNull(),
    /** After a rotation the old secret signs alongside the new one until this time. */
    previousSecret: bytea('previous_secret'),
    previousSecretExpiresAt: timestamp('previous_secret_expires_at', { withTimezone: true }),
    enabled: boolean('enabled').notNull().default(true),
    disabledReason: text('disabled_reason'),
    /** First failure of the current failing streak; cleared by any success. */
    failingSince: timestamp('failing_since', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('webhook_endpoints_user_idx').on(table.userId)],
)

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const

/** One event to one endpoint; its id is X-Sage-Delivery, stable across retries. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** The event delivered; null for a test event, whose whole payload is kept in `testEvent`. */
    eventId: uuid('event_id').references(() => instanceEvents.id, { onDelete: 'cascade' }),
    testEvent: jsonb('test_event'),
    userId: uuid('user_id').notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('webhook_deliveries_endpoint_idx').on(table.endpointId, table.seq),
    // Retention prunes each account's finished deliveries by age (pruneAccountDeliveriesBatch).
    index('webhook_deliveries_user_created_idx').on(table.userId, table.createdAt),
    // An event pruned or erased takes its deliveries with it (ON DELETE CASCADE looks them up by event).
    index('webhook_deliveries_event_idx').on(table.eventId),
    check('webhook_deliveries_event_or_test', sql`${table.eventId} is not null or ${table.testEvent} is not null`),
  ],
)

/** Every attempt, for the delivery log. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull().defaultNow(),
    statusCode: integer('status_code'),
    latencyMs: integer('latency_ms'),
    responseSnippet: text('response_snippet'),
    error: text('error'),
    /** The headers exactly as sent (signature and timestamp included), for the delivery page; null on attempts logged before it was kept. */
    requestHeaders: jsonb('request_headers').$type<Record<string, string>>(),
  },
  (table) => [index('webhook_attempts_delivery_idx').on(table.deliveryId)],
)
