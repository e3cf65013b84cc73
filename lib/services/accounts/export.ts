import 'server-only'
import { exportLines } from '@/lib/exports/lines'

/**
 * The account's data as JSON lines, one record a line, each with its `type`: first an `export` line
 * (who, when, format version), then every `instance`, `contact`, `chat` and `message`. Secrets never
 * appear (key hashes, WhatsApp credentials, webhook secrets, proxies): only these tables are read,
 * and only the columns named in their export queries. Streamed from database cursors, so a big account
 * is never held in memory and the download starts at once.
 */
export function exportAccount(user: { userId: string; email: string }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  async function* encoded(): AsyncGenerator<Uint8Array> {
    for await (const line of exportLines(user)) yield encoder.encode(line)
  }
  return streamOf(encoded())
}

/** A download read from `iterator` as the client takes it. */
export function streamOf(iterator: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream({
    async pull(controller) {
      const next = await iterator.next()
      if (next.done) controller.close()
      else controller.enqueue(next.value)
    },
    async cancel() {
      // The download was abandoned: ending the generator closes the open cursor (or stops reading pieces).
      await iterator.return(undefined)
    },
  })
}

/** The export as a file download: `sage-export-<date>.jsonl`, never cached. */
export function exportDownload(user: { userId: string; email: string }): Response {
  return new Response(exportAccount(user), { headers: exportDownloadHeaders(new Date()) })
}

/** A JSON lines attachment named for the day the export was made, never cached. */
export function exportDownloadHeaders(madeAt: Date): Record<string, string> {
  return {
    'content-type': 'application/x-ndjson; charset=utf-8',
    'content-disposition': `attachment; filename="sage-export-${madeAt.toISOString().slice(0, 10)}.jsonl"`,
    'cache-control': 'no-store',
  }
}
