import { pgTable, uuid, text, jsonb, timestamp, primaryKey } from 'drizzle-orm/pg-core'
import { instances } from './instances'

/**
 * What each instance knows of its groups: Baileys' GroupMetadata as WhatsApp last gave it (members
 * named as the group names them: LIDs in LID-addressed groups). The worker hands it to Baileys as
 * `cachedGroupMetadata`, so a send to a group does not ask WhatsApp for its members each time.
 */
export const groupMetadata = pgTable(
  'group_metadata',
  {
    instanceId: uuid('instance_id')
      .notNull()
      .references(() => instances.id, { onDelete: 'cascade' }),
    jid: text('jid').notNull(),
    metadata: jsonb('metadata').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.instanceId, table.jid] })],
)
