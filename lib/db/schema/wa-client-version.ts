import { sql } from 'drizzle-orm'
import { check, pgEnum, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core'

export const WA_CLIENT_VERSION_SOURCES = ['fetched', 'pinned', 'bundled'] as const
export const waClientVersionSource = pgEnum('wa_client_version_source', WA_CLIENT_VERSION_SOURCES)

/**
 * The WhatsApp Web version the workers announce at login: one row, shared so that every worker uses
 * the same and a worker that cannot reach the version source falls back to the last one known.
 * `fetched` came from the version source, `pinned` from WA_VERSION, `bundled` is Baileys' own.
 */
export const waClientVersion = pgTable(
  'wa_client_version',
  {
    id: smallint('id').primaryKey().default(1),
    version: text('version').notNull(),
    source: waClientVersionSource('source').notNull(),
    /** When the version source last answered with a version (null: never). */
    fetchedAt: timestamp('fetched_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('wa_client_version_one_row', sql`${table.id} = 1`)],
)
