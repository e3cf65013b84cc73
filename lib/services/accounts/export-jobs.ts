import 'server-only'
import { ApiError } from '@/lib/api/errors'
import { exportDownloadHeaders, streamOf } from '@/lib/services/accounts/export'
import { exportChunks, findExport, latestExport, queueExport, type AccountExport } from '@/lib/store/account-exports'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Where the download is: the API's path for an account key, the dashboard's for a session. */
export type ExportPaths = 'api' | 'session'

export type ExportView = {
  id: string
  status: AccountExport['status']
  progress: { done: number; total: number | null; percent: number | null }
  bytes: number
  createdAt: string
  finishedAt: string | null
  expiresAt: string | null
  error: string | null
  /** Set while it is ready. */
  downloadUrl: string | null
}

function viewOf(row: AccountExport, paths: ExportPaths): ExportView {
  const ready = row.status === 'ready'
  const total = ready ? row.recordsDone : row.recordsTotal
  const percent = ready ? 100 : total ? Math.min(99, Math.floor((row.recordsDone / total) * 100)) : null
  const base = paths === 'api' ? '/api/v1/export' : '/api/v1/me/exports'
  return {
    id: row.id,
    status: row.status,
    progress: { done: row.recordsDone, total, percent },
    bytes: row.bytes,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    error: row.error,
    downloadUrl: ready ? `${base}/${row.id}/download` : null,
  }
}

/**
 * Starts building the account's export in the background (a worker writes it and emails the owner
 * when it is ready); while one is on its way, asking again returns that one.
 */
export async function requestExport({ ctx, paths }: { ctx: { userId: string }; paths: ExportPaths }): Promise<ExportView> {
  return viewOf((await queueExport(ctx.userId)).export, paths)
}

async function requireExport(userId: string, id: string): Promise<AccountExport> {
  const found = UUID.test(id) ? await findExport(userId, id) : undefined
  if (!found) throw new ApiError('not_found', 'No export with this id in your account (an expired one is deleted).')
  return found
}

export async function getExport({ ctx, input, paths }: { ctx: { userId: string }; input: { id: string }; paths: ExportPaths }): Promise<ExportView> {
  return viewOf(await requireExport(ctx.userId, input.id), paths)
}

/** The dashboard: the account's latest export, if any. */
export async function getLatestExport({ ctx }: { ctx: { userId: string } }): Promise<ExportView | undefined> {
  const row = await latestExport(ctx.userId)
  return row ? viewOf(row, 'session') : undefined
}

/** A ready export's file, streamed from its stored pieces; only its own account may download it, until it expires. */
export async function downloadExport({ ctx, input }: { ctx: { userId: string }; input: { id: string } }): Promise<Response> {
  const row = await requireExport(ctx.userId, input.id)
  if (row.status !== 'ready' || (row.expiresAt && row.expiresAt.getTime() < Date.now())) {
    if (row.status === 'ready') throw new ApiError('not_found', 'This export expired; start a new one.')
    throw new ApiError('export_not_ready', `This export is ${row.status}${row.error ? `: ${row.error}` : ''}.`)
  }
  async function* pieces(): AsyncGenerator<Uint8Array> {
    for await (const chunk of exportChunks(row.id)) yield new Uint8Array(chunk)
  }
  const body = streamOf(pieces())
  return new Response(body, { headers: { ...exportDownloadHeaders(row.createdAt), 'content-length': String(row.bytes) } })
}
