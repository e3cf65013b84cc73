import 'server-only'
import type { PendingQuery, ReservedSql, Row, Sql, TransactionSql } from 'postgres'
import { sqlClient } from '@/lib/db'

/** A statement runs on the pool or inside a caller's transaction: store functions accept either. */
export type Executor = Sql | TransactionSql

export { sqlClient }

/**
 * A transaction that decides on its first statement's rows, in two round trips where sql.begin takes
 * one for BEGIN, one per statement awaited in turn, and one for COMMIT: BEGIN goes out together with
 * `first`; then the statements `rest` builds (unsent; null or none: nothing to do, roll back) go out
 * together with COMMIT, in their order. A statement that fails aborts the transaction, so the COMMIT
 * behind it ends it as a rollback and the failure is thrown: all or nothing, as with sql.begin.
 * Answers whether it committed.
 */
export async function twoTripTransaction<First extends Row[]>(
  first: (tx: ReservedSql) => PendingQuery<First>,
  rest: (tx: ReservedSql, rows: First) => (PendingQuery<Row[]> | null)[] | null,
): Promise<boolean> {
  const tx = await sqlClient().reserve()
  let open = false
  try {
    const begun = tx`begin`.execute()
    const firstRows = first(tx).execute()
    firstRows.catch(() => {}) // a failed BEGIN fails it too; that error is the one thrown
    await begun
    open = true
    const statements = (rest(tx, await firstRows) ?? []).filter((statement): statement is PendingQuery<Row[]> => statement !== null)
    if (!statements.length) return false // the finally rolls back
    // Sent before COMMIT, in this order (execute queues each on this connection now).
    const outcomes = Promise.allSettled(statements.map((statement) => statement.execute()))
    const committed = tx`commit`.execute()
    const failed = (await outcomes).find((outcome) => outcome.status === 'rejected')
    await committed.catch((error) => {
      if (!failed) throw error
    })
    open = false
    if (failed) throw failed.reason
    return true
  } finally {
    if (open) await tx`rollback`.catch(() => {})
    tx.release()
  }
}

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
