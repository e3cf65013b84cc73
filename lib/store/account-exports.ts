// `account_exports` and `account_export_chunks`: background exports, from the request to the download (state rules below).
//
// queued (web: requestExport, with its graphile-worker job in the same transaction) → building (the
// worker, which counts the records) → ready (downloadable until expires_at) or failed. A build that
// starts again (a crashed worker's job retried) drops the chunks of the earlier try first.
import 'server-only'
import type { ExportStatus } from '@/lib/db/schema/exports'
import { sqlClient } from './sql'

export const EXPORT_TASK = 'account_export'

export type AccountExport = {
  id: string
  status: ExportStatus
  recordsDone: number
  recordsTotal: number | null
  bytes: number
  error: string | null
  createdAt: Date
  finishedAt: Date | null
  expiresAt: Date | null
}

const COLUMNS = 'id, status, records_done, records_total, bytes, error, created_at, finished_at, expires_at'

function toExport(row: Record<string, unknown>): AccountExport {
  const date = (value: unknown) => (value ? new Date(value as string) : null)
  return {
    id: row.id as string,
    status: row.status as ExportStatus,
    recordsDone: Number(row.records_done),
    recordsTotal: row.records_total === null ? null : Number(row.records_total),
    bytes: Number(row.bytes),
    error: (row.error as string | null) ?? null,
    createdAt: new Date(row.created_at as string),
    finishedAt: date(row.finished_at),
    expiresAt: date(row.expires_at),
  }
}

/** The account's export still on its way, or a new one queued with its job; one at a time per account. */
export async function queueExport(userId: string): Promise<{ export: AccountExport; created: boolean }> {
  return sqlClient().begin(async (tx) => {
    // Serialises two requests of one account, so only one export is queued.
    await tx`select 1 from users where id = ${userId} for update`
    const [active] = await tx`select ${tx.unsafe(COLUMNS)} from account_exports where user_id = ${userId} and status in ('queued', 'building') limit 1`
    if (active) return { export: toExport(active), created: false }
    const [row] = await tx`insert into account_exports (user_id) values (${userId}) returning ${tx.unsafe(COLUMNS)}`
    await tx`select graphile_worker.add_job(${EXPORT_TASK}, ${tx.json({ exportId: row.id } as never)}::json, max_attempts := 3, job_key := ${`account-export:${row.id}`})`
    return { export: toExport(row), created: true }
  })
}

export async function findExport(userId: string, id: string): Promise<AccountExport | undefined> {
  const sql = sqlClient()
  const [row] = await sql`select ${sql.unsafe(COLUMNS)} from account_exports where id = ${id} and user_id = ${userId}`
  return row ? toExport(row) : undefined
}

export async function latestExport(userId: string): Promise<AccountExport | undefined> {
  const sql = sqlClient()
  const [row] = await sql`select ${sql.unsafe(COLUMNS)} from account_exports where user_id = ${userId} order by created_at desc limit 1`
  return row ? toExport(row) : undefined
}

/** Worker: the build starts (again); the account it belongs to, or undefined when it is gone or already finished. */
export async function startBuilding(id: string): Promise<{ userId: string } | undefined> {
  return sqlClient().begin(async (tx) => {
    const [row] = await tx`
      update account_exports set status = 'building', records_total = null, records_done = 0, bytes = 0
      where id = ${id} and status in ('queued', 'building') returning user_id`
    if (!row) return undefined
    await tx`delete from account_export_chunks where export_id = ${id}`
    return { userId: row.user_id as string }
  })
}

export async function setExportTotal(id: string, recordsTotal: number): Promise<void> {
  await sqlClient()`update account_exports set records_total = ${recordsTotal} where id = ${id}`
}

/** Worker: the export's next piece, and how far it got. */
export async function appendChunk(id: string, seq: number, data: Buffer, recordsDone: number): Promise<void> {
  await sqlClient().begin(async (tx) => {
    await tx`insert into account_export_chunks (export_id, seq, data) values (${id}, ${seq}, ${data})`
    await tx`update account_exports set records_done = ${recordsDone}, bytes = bytes + ${data.length} where id = ${id}`
  })
}

export async function markExportReady(id: string, recordsDone: number, keepHours: number): Promise<AccountExport | undefined> {
  const sql = sqlClient()
  const [row] = await sql`
    update account_exports set status = 'ready', records_done = ${recordsDone}, finished_at = now(), expires_at = now() + make_interval(hours => ${keepHours})
    where id = ${id} and status = 'building' returning ${sql.unsafe(COLUMNS)}`
  return row ? toExport(row) : undefined
}

export async function markExportFailed(id: string, error: string): Promise<void> {
  await sqlClient().begin(async (tx) => {
    await tx`update account_exports set status = 'failed', error = ${error}, finished_at = now() where id = ${id} and status in ('queued', 'building')`
    await tx`delete from account_export_chunks where export_id = ${id}`
  })
}

/** A ready export's pieces, in order, one at a time. */
export async function* exportChunks(id: string): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const [row] = await sqlClient()`select data from account_export_chunks where export_id = ${id} and seq = ${seq}`
    if (!row) return
    yield Buffer.from(row.data)
  }
}

/** Retention: exports past their expiry (their pieces go with them). */
export async function pruneExpiredExportsBatch(batch: number): Promise<number> {
  const rows = await sqlClient()`
    delete from account_exports where id in (
      select id from account_exports where expires_at < now() limit ${batch} for update skip locked)
    returning 1`
  return rows.length
}
