import { pgTable, text, timestamp, uuid, uniqueIndex, index } from 'drizzle-orm/pg-core'
import { instances } from './instances'

/**
 * The people an instance's WhatsApp account knows, per instance: from history syncs (the phone's
 * chats and push names) and from the messages they send. `jid` is the phone-number JID whenever the
 * number is known, else the LID, like `messages.remote_jid`.
 */
export const contacts = pgTable(
  'contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    instanceId: uuid('instance_id')
      .notNull()
      .references(() => instances.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    jid: text('jid').notNull(),
    /** The contact's LID (<digits>@lid) when known. */
    lid: text('lid'),
    /** Digits only, when the number is known. */
    phoneNumber: text('phone_number'),
    /** The name the contact gave itself on WhatsApp. */
    pushName: text('push_name'),
    /** The name the account's user saved for the contact on the phone. */
    savedName: text('saved_name'),
    /** A business's verified name. */
    verifiedName: text('verified_name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('contacts_instance_jid_unique').on(table.instanceId, table.jid), index('contacts_instance_lid_idx').on(table.instanceId, table.lid)],
)
