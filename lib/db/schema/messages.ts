import { sql } from 'drizzle-orm'
import { pgTable, text, timestamp, uuid, uniqueIndex, index, jsonb, boolean, bigint, integer, primaryKey, customType, check } from 'drizzle-orm/pg-core'

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' })
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' })

/**
 * The words of a message that chat/findMessages searches: its text and the caption of an image,
 * video or document. The 'simple' configuration only lowercases and splits words: customers write
 * in many languages (often several in one chat), and a language's stemmer would mangle the others
 * and miss exact words such as names, order numbers and codes.
 */
const SEARCH_TEXT = sql`to_tsvector('simple'::regconfig,
  coalesce(message->>'conversation', '') || ' ' || coalesce(message->'extendedTextMessage'->>'text', '') || ' ' ||
  coalesce(message->'imageMessage'->>'caption', '') || ' ' || coalesce(message->'videoMessage'->>'caption', '') || ' ' ||
  coalesce(message->'documentMessage'->>'caption', '') || ' ' ||
  coalesce(message->'documentWithCaptionMessage'->'message'->'documentMessage'->>'caption', ''))`
import { instances } from './instances'
import { users } from './accounts'

/**
 * SCHEDULED: an API send waiting for its `send_at`; QUEUED_BY_POLICY: held by the instance's send
 * policy until `planned_at`; CANCELLED: a scheduled send its sender called off before it was due.
 */
export const MESSAGE_STATUSES = ['SCHEDULED', 'PENDING', 'QUEUED_BY_POLICY', 'SERVER_ACK', 'DELIVERY_ACK', 'READ', 'PLAYED', 'ERROR', 'CANCELLED'] as const
export type MessageStatus = (typeof MESSAGE_STATUSES)[number]

/** Messages sent and received, with their status history (receipts move them forward). */
export const messages = pgTable(
  'messages',
  {
    // Time-ordered (UUIDv7, drizzle/0023): messages stored in the same second keep their order in timelines (message_timestamp, id).
    id: uuid('id').primaryKey().default(sql`sage_uuid_v7()`),
    instanceId: uuid('instance_id')
      .notNull()
      .references(() => instances.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    /** WhatsApp's message id (key.id); set on sent messages before the socket sends, so retries reuse it. */
    waId: text('wa_id').notNull(),
    /** The chat: the contact's phone-number JID whenever the number is known, else its LID; or the group. */
    remoteJid: text('remote_jid').notNull(),
    /** The chat's other identity: its LID when remote_jid is the phone number. */
    remoteJidAlt: text('remote_jid_alt'),
    fromMe: boolean('from_me').notNull(),
    participant: text('participant'),
    /** In groups: the sender's other identity (its LID when participant is the phone number). */
    participantAlt: text('participant_alt'),
    pushName: text('push_name'),
    messageType: text('message_type').notNull(),
    message: jsonb('message').notNull(),
    messageTimestamp: bigint('message_timestamp', { mode: 'number' }).notNull(),
    status: text('status', { enum: MESSAGE_STATUSES }).notNull(),
    statusHistory: jsonb('status_history').$type<{ status: MessageStatus; at: string }[]>().notNull().default(sql`'[]'::jsonb`),
    /** Came in a history sync (WhatsApp's copy of the chats at pairing): stored, announced only in MESSAGES_SET, never as MESSAGES_UPSERT. */
    fromHistory: boolean('from_history').notNull().default(false),
    /** Sent through the API (not from the phone). */
    viaApi: boolean('via_api').notNull().default(false),
    commandId: uuid('command_id'),
    /** For media messages: mimetype, file name, size (the bytes live in message_media). */
    media: jsonb('media'),
    /** Outbox fields of API sends: what to send, not before when, and how far the worker got. */
    sendContent: jsonb('send_content'),
    sendAfter: timestamp('send_after', { withTimezone: true }),
    /** A scheduled send's time (`sendAt`): it stays SCHEDULED until then, then goes the way of any send (`send_after` adds its delay). */
    sendAt: timestamp('send_at', { withTimezone: true }),
    /** Held by the send policy (QUEUED_BY_POLICY): when it goes out, and why it waits. */
    plannedAt: timestamp('planned_at', { withTimezone: true }),
    policyReason: text('policy_reason', { enum: ['gap', 'quiet_hours', 'new_chat_cap', 'paused'] }),
    /** `priority: "transactional"`: skips the policy's pacing (gap, quiet hours, caps) but counts toward the caps. */
    transactional: boolean('transactional').notNull().default(false),
    /** Set when the worker planned it: the first message to someone who never wrote to this number (the daily new-chat cap counts these). */
    startsChat: boolean('starts_chat'),
    /** Set when the worker accepted the send (number checked, typing shown); delayed sends answer here. */
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    /** Set just before the socket sends; a send found started but not sent is re-sent with the same id. */
    sendStartedAt: timestamp('send_started_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** When the sender last edited it; `edit_history` keeps every earlier content with when it was replaced. */
    editedAt: timestamp('edited_at', { withTimezone: true }),
    editHistory: jsonb('edit_history').$type<{ message: unknown; messageType: string; replacedAt: string }[]>().notNull().default(sql`'[]'::jsonb`),
    /** When the sender deleted it for everyone (the content stays for the account's own records). */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    /**
     * For an API send made with an Idempotency-Key: the request's fingerprint. Its wa_id is then
     * derived from the account and the key, so a retry of the send finds this row instead of adding one.
     */
    requestHash: text('request_hash'),
    /** Generated from the content (an edit re-generates it); never written. */
    searchVector: tsvector('search_vector').generatedAlwaysAs(SEARCH_TEXT),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('messages_instance_wa_id_unique').on(table.instanceId, table.remoteJid, table.waId, table.fromMe),
    index('messages_instance_created_idx').on(table.instanceId, table.createdAt),
    index('messages_wa_id_idx').on(table.instanceId, table.waId),
    // chat/findMessages pages newest first by (message_timestamp, id), over the instance or one chat.
    index('messages_instance_timeline_idx').on(table.instanceId, table.messageTimestamp, table.id),
    index('messages_chat_timeline_idx').on(table.instanceId, table.remoteJid, table.messageTimestamp, table.id),
    index('messages_search_idx').using('gin', table.searchVector),
    index('messages_outbox_idx').on(table.instanceId, table.createdAt).where(sql`via_api and sent_at is null and status in ('PENDING', 'SCHEDULED', 'QUEUED_BY_POLICY')`),
    // One API send per WhatsApp id in an account: what makes a send keyed by an Idempotency-Key happen once.
    uniqueIndex('messages_api_send_unique').on(table.userId, table.waId).where(sql`via_api`),
  ],
)

/**
 * Messages WhatsApp delivered that this device could not decrypt (Baileys' CIPHERTEXT stub), held
 * while the sender may still resend them readable: the readable copy removes the row; after the
 * grace period the row becomes a `messages` row of type `undecryptable` and is announced once.
 */
export const undecryptableMessages = pgTable(
  'undecryptable_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    instanceId: uuid('instance_id')
      .notNull()
      .references(() => instances.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    waId: text('wa_id').notNull(),
    remoteJid: text('remote_jid').notNull(),
    remoteJidAlt: text('remote_jid_alt'),
    fromMe: boolean('from_me').notNull(),
    participant: text('participant'),
    participantAlt: text('participant_alt'),
    pushName: text('push_name'),
    messageTimestamp: bigint('message_timestamp', { mode: 'number' }).notNull(),
    /** Why it did not decrypt, as Baileys reports it (e.g. "Bad MAC"): for logs and support, never parsed. */
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('undecryptable_messages_key_unique').on(table.instanceId, table.remoteJid, table.waId, table.fromMe),
    index('undecryptable_messages_created_idx').on(table.createdAt),
  ],
)

/**
 * Media of a message: sent files (stored when accepted) and received files (cached on first download).
 * The bytes are in `data`, or, when the deployment keeps media in object storage (`S3_BUCKET`), in
 * the bucket under `storage_key` (lib/media/bucket.ts); exactly one of the two is set.
 */
export const messageMedia = pgTable(
  'message_media',
  {
    messageId: uuid('message_id')
      .primaryKey()
      .references(() => messages.id, { onDelete: 'cascade' }),
    data: bytea('data'),
    storageKey: text('storage_key'),
    mimetype: text('mimetype').notNull(),
    fileName: text('file_name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('message_media_bytes_or_object', sql`(${table.data} is null) <> (${table.storageKey} is null)`),
    // Retention prunes media by age (lib/store/messages/retention.ts).
    index('message_media_created_idx').on(table.createdAt),
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
    /** Refreshed while the request holding the key runs; a stale one was abandoned and may be taken over. */
    aliveAt: timestamp('alive_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.key] })],
)
