import { pgTable, text, timestamp, uuid, uniqueIndex, index, boolean, bigint, integer } from 'drizzle-orm/pg-core'
import { instances } from './instances'

/** An instance's chats as WhatsApp's phone described them (history sync): their names and state. */
export const chats = pgTable(
  'chats',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    instanceId: uuid('instance_id')
      .notNull()
      .references(() => instances.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    /** Like `messages.remote_jid`: the phone-number JID when known, else the LID; or the group. */
    jid: text('jid').notNull(),
    /** The chat's other identity (its LID when `jid` is the number). */
    jidAlt: text('jid_alt'),
    name: text('name'),
    unreadCount: integer('unread_count').notNull().default(0),
    archived: boolean('archived').notNull().default(false),
    pinned: boolean('pinned').notNull().default(false),
    mutedUntil: timestamp('muted_until', { withTimezone: true }),
    /** Marked unread by hand (chat/markChatUnread, or on the phone), whatever the unread count says. */
    markedUnread: boolean('marked_unread').notNull().default(false),
    /**
     * When a live change last touched the chat (a message, our read receipts, an app-state patch):
     * a history-sync chunk describes the chat as it was before, so it no longer sets its unread count
     * and settings.
     */
    liveChangedAt: timestamp('live_changed_at', { withTimezone: true }),
    /** Unix seconds of the newest message the phone reported. */
    lastMessageTimestamp: bigint('last_message_timestamp', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('chats_instance_jid_unique').on(table.instanceId, table.jid), index('chats_instance_last_message_idx').on(table.instanceId, table.lastMessageTimestamp)],
)
