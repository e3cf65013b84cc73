import { sql } from 'drizzle-orm'
import { pgTable, pgEnum, boolean, text, timestamp, uuid, uniqueIndex, check, integer, customType, primaryKey, index, bigint, jsonb, pgSequence } from 'drizzle-orm/pg-core'
import { INSTANCE_STATES, INSTANCE_STATUS_CODES } from '@/lib/instances/status-codes'
import { PAUSE_REASONS } from '@/lib/instances/send-health'
import { users } from './accounts'

export { INSTANCE_STATES, type InstanceState } from '@/lib/instances/status-codes'

export const instanceStatusCode = pgEnum('instance_status_code', INSTANCE_STATUS_CODES)

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' })

export const instances = pgTable(
  'instances',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    state: text('state', { enum: INSTANCE_STATES }).notNull().default('close'),
    /** Whether a worker should hold a socket for it: set by connect, cleared by logout or an abandoned QR. */
    desiredState: text('desired_state', { enum: ['connected', 'disconnected'] }).notNull().default('disconnected'),
    /**
     * Its owner: the instance is held while this names a live worker (lib/store/workers.ts). The
     * worker's row is the lease, renewed once per worker, not per instance.
     */
    workerId: text('worker_id'),
    /** The paired WhatsApp account, once linked. */
    phoneNumber: text('phone_number'),
    pushName: text('push_name'),
    qrCode: text('qr_code'),
    qrCount: integer('qr_count').notNull().default(0),
    qrExpiresAt: timestamp('qr_expires_at', { withTimezone: true }),
    pairingCode: text('pairing_code'),
    /** Number given to "link with phone number instead"; the worker asks Baileys for a code for it. */
    pairingPhoneNumber: text('pairing_phone_number'),
    /** Why it is in its state, for code to switch on; `state` follows from it. */
    statusCode: instanceStatusCode('status_code').notNull().default('idle'),
    /** Human explanation of the current state (why it closed, when the next retry is); never parsed. */
    statusReason: text('status_reason'),
    connectedAt: timestamp('connected_at', { withTimezone: true }),
    /** Auto-pause (lib/instances/send-health.ts): why sending stopped; null while it may send. */
    sendPauseReason: text('send_pause_reason', { enum: PAUSE_REASONS }),
    sendPausedAt: timestamp('send_paused_at', { withTimezone: true }),
    /** The last resume: the undelivered share counts only sends after it. */
    sendResumedAt: timestamp('send_resumed_at', { withTimezone: true }),
    /** A sandbox instance: its socket goes to the account's world in the sandbox service, never to WhatsApp. Fixed at creation. */
    sandbox: boolean('sandbox').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('instances_user_name_unique').on(table.userId, table.name),
    check('instances_name_format', sql`${table.name} ~ '^[a-z0-9-]{3,40}$'`),
    index('instances_worker_idx').on(table.workerId),
    // Instances that want a socket and have no owner at all: found at once by every claim and renewal.
    index('instances_unowned_idx').on(table.id).where(sql`${table.workerId} is null and ${table.desiredState} = 'connected'`),
  ],
)

/** Baileys' auth state (creds and every Signal key), AES-256-GCM encrypted, one row per key. */
export const whatsappAuthKeys = pgTable(
  'whatsapp_auth_keys',
  {
    instanceId: uuid('instance_id')
      .notNull()
      .references(() => instances.id, { onDelete: 'cascade' }),
    category: text('category').notNull(),
    keyId: text('key_id').notNull(),
    value: bytea('value').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.instanceId, table.category, table.keyId] })],
)

export const COMMAND_STATUSES = ['pending', 'running', 'done', 'failed', 'cancelled'] as const

/** The web → worker outbox: the owning worker runs an instance's commands in `seq` order. */
export const instanceCommands = pgTable(
  'instance_commands',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    instanceId: uuid('instance_id')
      .notNull()
      .references(() => instances.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull().default({}),
    status: text('status', { enum: COMMAND_STATUSES }).notNull().default('pending'),
    result: jsonb('result'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    /** Commands the caller stopped waiting for are cancelled only while still pending. */
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [index('instance_commands_pending_idx').on(table.instanceId, table.seq).where(sql`status in ('pending', 'running')`)],
)

/** Everything that happened to an instance, in order; the source of webhook deliveries. */
export const instanceEventPositions = pgSequence('instance_event_positions')

export const instanceEvents = pgTable(
  'instance_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    instanceId: uuid('instance_id')
      .notNull()
      .references(() => instances.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    instanceName: text('instance_name').notNull(),
    event: text('event').notNull(),
    data: jsonb('data').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * The event's place in the replayable log (/api/v1/events), given after commit by
     * `sequenceCommitted` (lib/store/events.ts): `seq` follows insert order, which concurrent
     * transactions commit out of, so a reader paging by `seq` could skip a late commit.
     */
    position: bigint('position', { mode: 'number' }),
  },
  (table) => [
    index('instance_events_instance_idx').on(table.instanceId, table.seq),
    uniqueIndex('instance_events_position_unique').on(table.position),
    index('instance_events_user_position_idx').on(table.userId, table.position),
    index('instance_events_unpositioned_idx').on(table.seq).where(sql`${table.position} is null`),
    index('instance_events_created_idx').on(table.createdAt),
    // Retention prunes each account's events by age (lib/store/events.ts pruneAccountEventsBatch).
    index('instance_events_user_created_idx').on(table.userId, table.createdAt),
  ],
)
