// The background export's build, run by a worker (graphile-worker task `account_export`): the
// account's JSON lines written in pieces of about 1 MB, its progress after each, then the email.
import 'server-only'
import { config } from '@/lib/config'
import { sendEmailOrLog } from '@/lib/email/send'
import { exportReadyEmail } from '@/lib/email/templates'
import type { Logger } from '@/lib/log'
import { findUserById } from '@/lib/store/accounts'
import { appendChunk, markExportFailed, markExportReady, setExportTotal, startBuilding } from '@/lib/store/account-exports'
import { countExportRecords, exportLines } from './lines'

const CHUNK_BYTES = 1024 * 1024
/** How long a ready export can be downloaded. */
export const EXPORT_KEEP_HOURS = 24

export async function buildExport(exportId: string, log: Logger): Promise<void> {
  const claimed = await startBuilding(exportId)
  if (!claimed) return
  const user = await findUserById(claimed.userId)
  if (!user) return
  try {
    await setExportTotal(exportId, await countExportRecords(user.id))
    let pending: string[] = []
    let pendingBytes = 0
    let seq = 0
    let records = 0
    const flush = async () => {
      if (pending.length === 0) return
      await appendChunk(exportId, seq++, Buffer.from(pending.join('')), records)
      pending = []
      pendingBytes = 0
    }
    let first = true
    for await (const line of exportLines({ userId: user.id, email: user.email })) {
      pending.push(line)
      pendingBytes += line.length
      // The opening `export` line is not one of the counted records.
      if (first) first = false
      else records += 1
      if (pendingBytes >= CHUNK_BYTES) await flush()
    }
    await flush()
    const ready = await markExportReady(exportId, records, EXPORT_KEEP_HOURS)
    if (!ready) return
    log.info({ exportId, userId: user.id, records, bytes: ready.bytes }, 'account export ready')
    const url = new URL('/settings', config().APP_URL).toString()
    await sendEmailOrLog(exportReadyEmail(user.email, { url, records, expiresAt: ready.expiresAt! }), { userId: user.id, exportId })
  } catch (error) {
    log.error({ err: error, exportId }, 'account export failed')
    await markExportFailed(exportId, 'The export could not be built; start a new one.')
  }
}
