import { pgTable, text, timestamp, uuid, primaryKey, jsonb } from 'drizzle-orm/pg-core'
import { messages } from './messages'

/**
 * Each voter's latest vote on a poll (a later vote replaces the earlier one, as WhatsApp counts them).
 * The tally of GET messages/{id} is computed from these rows, so it survives a worker restart.
 */
export const pollVotes = pgTable(
  'poll_votes',
  {
    pollId: uuid('poll_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    /** The voter: the phone-number JID when known, else the LID (as message keys name people). */
    voter: text('voter').notNull(),
    voterAlt: text('voter_alt'),
    /** The option names picked, in the poll's order; empty when the voter took the vote back. */
    selectedOptions: jsonb('selected_options').$type<string[]>().notNull(),
    /** When the voter's phone says it voted: an older vote arriving late never replaces a newer one. */
    votedAt: timestamp('voted_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.pollId, table.voter] })],
)
