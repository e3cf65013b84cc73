import 'server-only'
import type { InstanceIdentity } from '@/lib/events/types'
import { upsertPayload } from '@/lib/messages/payloads'
import { upsertChats, type Chat } from './chats'
import { upsertContacts, type ContactChange } from './contacts'
import { recordEvent } from './events'
import { insertHistory, type IncomingMessage } from './messages'
import { sqlClient } from './sql'

/** Items per MESSAGES_SET / CHATS_SET / CONTACTS_SET event: a sync of thousands is a few events of bounded size. */
export const HISTORY_EVENT_BATCH = 200

export type HistoryBatch = {
  /** WhatsApp's name for the sync: INITIAL_BOOTSTRAP, RECENT, FULL, PUSH_NAME, ON_DEMAND … */
  syncType: string
  /** How far the phone is through its history, 0–100, when it says. */
  progress: number | null
  messages: IncomingMessage[]
  chats: Chat[]
  contacts: ContactChange[]
}

function slices<T>(items: T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += HISTORY_EVENT_BATCH) out.push(items.slice(i, i + HISTORY_EVENT_BATCH))
  return out
}

/**
 * One history sync chunk: its messages (`messages`), chats (`chats`) and contacts (`contacts`) in
 * their homes, and MESSAGES_SET / CHATS_SET / CONTACTS_SET for what was new or changed, all in one
 * transaction. A chunk processed again (WhatsApp redelivers what a crash left unacknowledged)
 * stores nothing twice and announces nothing twice.
 */
export async function recordHistorySync(instance: InstanceIdentity, batch: HistoryBatch): Promise<{ messages: number; chats: number; contacts: number }> {
  return sqlClient().begin(async (tx) => {
    const messages = await insertHistory(tx, instance, batch.messages)
    const chats = await upsertChats(tx, instance, batch.chats)
    const contacts = await upsertContacts(tx, instance, batch.contacts)
    const about = { syncType: batch.syncType, progress: batch.progress }
    for (const slice of slices(messages)) {
      const payloads = slice.map((m) => upsertPayload(m, { instanceName: instance.name, status: m.status, media: m.media }))
      await recordEvent(tx, instance, 'MESSAGES_SET', { ...about, messages: payloads })
    }
    for (const slice of slices(chats)) {
      await recordEvent(tx, instance, 'CHATS_SET', { ...about, chats: slice.map((c) => ({ ...c, mutedUntil: c.mutedUntil?.toISOString() ?? null })) })
    }
    for (const slice of slices(contacts)) {
      await recordEvent(tx, instance, 'CONTACTS_SET', { ...about, contacts: slice.map((c) => ({ ...c, updatedAt: c.updatedAt.toISOString() })) })
    }
    return { messages: messages.length, chats: chats.length, contacts: contacts.length }
  })
}
