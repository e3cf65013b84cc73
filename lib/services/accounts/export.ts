import 'server-only'
import { chatsForExport } from '@/lib/store/chats'
import { contactsForExport } from '@/lib/store/contacts'
import { listForAccount } from '@/lib/store/instances'
import { messagesForExport } from '@/lib/store/messages'

/**
 * The account's data as JSON lines, one record a line, each with its `type`: first an `export` line
 * (who, when, format version), then every `instance`, `contact`, `chat` and `message`. Secrets never
 * appear (key hashes, WhatsApp credentials, webhook secrets, proxies): only these tables are read,
 * and only the columns named in their export queries. Streamed from database cursors, so a big account
 * is never held in memory and the download starts at once.
 */
export function exportAccount(user: { userId: string; email: string }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  const line = (type: string, record: Record<string, unknown>) => encoder.encode(`${JSON.stringify({ type, ...camelCased(record) })}\n`)
  async function* lines(): AsyncGenerator<Uint8Array> {
    yield line('export', { version: 1, email: user.email, exported_at: new Date().toISOString() })
    for (const instance of await listForAccount(user.userId)) {
      yield line('instance', {
        name: instance.name,
        state: instance.state,
        status_code: instance.statusCode,
        phone_number: instance.phoneNumber,
        push_name: instance.pushName,
        created_at: instance.createdAt,
      })
    }
    for (const [type, pages] of [['contact', contactsForExport(user.userId)], ['chat', chatsForExport(user.userId)], ['message', messagesForExport(user.userId)]] as const) {
      for await (const page of pages) for (const row of page) yield line(type, row)
    }
  }
  const iterator = lines()
  return new ReadableStream({
    async pull(controller) {
      const next = await iterator.next()
      if (next.done) controller.close()
      else controller.enqueue(next.value)
    },
    async cancel() {
      // The download was abandoned: ending the generator closes the open cursor.
      await iterator.return(undefined)
    },
  })
}

/** The export as a file download: `sage-export-<date>.jsonl`, never cached. */
export function exportDownload(user: { userId: string; email: string }): Response {
  return new Response(exportAccount(user), {
    headers: {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'content-disposition': `attachment; filename="sage-export-${new Date().toISOString().slice(0, 10)}.jsonl"`,
      'cache-control': 'no-store',
    },
  })
}

function camelCased(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()), value]))
}
