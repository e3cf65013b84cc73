// The account's export as JSON lines (the records, their order and their fields), shared by the streamed
// download (lib/services/accounts/export.ts) and the background export the worker builds (lib/exports/build.ts).
import 'server-only'
import { chatsForExport, countChatsForExport } from '@/lib/store/chats'
import { contactsForExport, countContactsForExport } from '@/lib/store/contacts'
import { listForAccount } from '@/lib/store/instances'
import { countMessagesForExport, messagesForExport } from '@/lib/store/messages'

/** How many records the export will hold (the background export's progress total); the `export` line aside. */
export async function countExportRecords(userId: string): Promise<number> {
  const counts = await Promise.all([listForAccount(userId).then((list) => list.length), countContactsForExport(userId), countChatsForExport(userId), countMessagesForExport(userId)])
  return counts.reduce((sum, count) => sum + count, 0)
}

/** The export's lines, each ending in a newline: read from database cursors a page at a time. */
export async function* exportLines(user: { userId: string; email: string }): AsyncGenerator<string> {
  const line = (type: string, record: Record<string, unknown>) => `${JSON.stringify({ type, ...camelCased(record) })}\n`
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

function camelCased(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()), value]))
}
