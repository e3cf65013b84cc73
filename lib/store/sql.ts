import 'server-only'
import type { Sql, TransactionSql } from 'postgres'
import { sqlClient } from '@/lib/db'

/** A statement runs on the pool or inside a caller's transaction: store functions accept either. */
export type Executor = Sql | TransactionSql

export { sqlClient }

/** One entry of a row's status history, appended by `appendHistory`. */
export type HistoryEntry<Status extends string = string> = { status: Status; at: string }

/** `status_history || [{status, at: now}]`: the one way a status history grows. */
export function appendHistory(sql: Executor, status: string) {
  return sql`status_history || ${sql.json([{ status, at: new Date().toISOString() }] as never)}`
}

/** A nullable timestamp column as a Date (or null). */
export function dateOrNull(value: unknown): Date | null {
  return value ? new Date(value as string) : null
}

/** One round trip to the database; rejects while it is unreachable (a paused WhatsApp session waits on it). */
export async function pingDatabase(): Promise<void> {
  await sqlClient()`select 1`
}

/** An ILIKE / LIKE pattern matching `text` anywhere, its wildcards taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}
