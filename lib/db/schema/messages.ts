import { sql } from 'drizzle-orm'
import { pgTable, text, timestamp, uuid, uniqueIndex, index, jsonb, boolean, bigint, integer, primaryKey } from 'drizzle-orm/pg-core'
import { instances } from './instances'
import { users } from './accounts'

export const MESSAGE_STATUSES = ['PENDING', 'SERVER_ACK', 'DELIVERY_ACK', 'READ', 'PLAYED', 'ERROR'] as const
export type MessageStatus = (typeof MESSAGE_STATUSES)[number]

/** Messages sent and received, with their status history (receipts move them forward). */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    instanceId: uuid('instance_id')
      .notNull()
      .references(() => instances.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    /** WhatsApp's message id (key.id); set on sent messages before the socket sends, so retries reuse it. */
    waId: text('wa_id').notNull(),
    remoteJid: text('remote_jid').notNull(),
    fromMe: boolean('from_me').notNull(),
    participant: text('participant'),
    pushName: text('push_name'),
    messageType: text('message_type').notNull(),
    message: jsonb('message').notNull(),
    messageTimestamp: bigint('message_timestamp', { mode: 'number' }).notNull(),
    status: text('status', { enum: MESSAGE_STATUSES }).notNull(),
    statusHistory: jsonb('status_history').$type<{ status: MessageStatus; at: string }[]>().notNull().default(sql`'[]'::jsonb`),
    /** Sent through the API (not from the phone). */
    viaApi: boolean('via_api').notNull().default(false),
    commandId: uuid('command_id'),
    /** For media messages: what is needed to download and decrypt it later. */
    media: jsonb('media'),
    errorMessage: text('error_message'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('messages_instance_wa_id_unique').on(table.instanceId, table.remoteJid, table.waId, table.fromMe),
    index('messages_instance_created_idx').on(table.instanceId, table.createdAt),
    index('messages_wa_id_idx').on(table.instanceId, table.waId),
  ],
)

/** Idempotency-Key: the first response to a key is replayed for 24 h; another body is a conflict. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.key] })],
)
