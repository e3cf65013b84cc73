import { sql } from 'drizzle-orm'
import { pgTable, text, integer, timestamp, uuid, index, customType, primaryKey } from 'drizzle-orm/pg-core'
import { users } from './accounts'

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' })

export const EXPORT_STATUSES = ['queued', 'building', 'ready', 'failed'] as const
export type ExportStatus = (typeof EXPORT_STATUSES)[number]

/**
 * An account's export built in the background by a worker (graphile-worker job `account_export`):
 * queued → building (records_done of records_total) → ready until expires_at, or failed.
 */
export const accountExports = pgTable(
  'account_exports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status', { enum: EXPORT_STATUSES }).notNull().default('queued'),
    recordsDone: integer('records_done').notNull().default(0),
    /** Counted when the build starts (the account may grow meanwhile: done can pass it a little). */
    recordsTotal: integer('records_total'),
    bytes: integer('bytes').notNull().default(0),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** A ready export can be downloaded until then; retention deletes it after. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (table) => [index('account_exports_user_idx').on(table.userId, table.createdAt), index('account_exports_expires_idx').on(table.expiresAt).where(sql`${table.expiresAt} is not null`)],
)

/** The export's JSON lines in pieces of about 1 MB, in order: built and downloaded without holding it whole. */
export const accountExportChunks = pgTable(
  'account_export_chunks',
  {
    exportId: uuid('export_id')
      .notNull()
      .references(() => accountExports.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (table) => [primaryKey({ columns: [table.exportId, table.seq] })],
)
