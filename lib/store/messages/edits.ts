// Edits and deletions for everyone, by the sender or through the API (state rules: index.ts).
import 'server-only'
import { editPayload, messageKey, type MessageKeyJson } from '@/lib/messages/payloads'
import { editedContent } from '@/lib/messages/edits'
import type { InstanceIdentity } from '@/lib/events/types'
import { recordEvent } from '../events'
import { sqlClient, type Executor } from '../sql'
import { toMessage, COLUMNS, type EditHistoryEntry } from './row'

/**
 * A message as our side knows it, named by an edit or a deletion: its chat by any of its identities
 * (phone number or LID), its id, and whether we sent it. `key` is what the event shows when the
 * message itself was never stored here (sent before pairing, say).
 */
export type MessageTarget = { chats: string[]; id: string; fromMe: boolean; key: MessageKeyJson }

/** The stored message an edit or deletion names, locked for the rest of the transaction. */
async function lockTarget(tx: Executor, instance: InstanceIdentity, target: MessageTarget): Promise<Record<string, unknown> | undefined> {
  const [row] = await tx`
    select ${tx.unsafe(COLUMNS)} from messages m
    where m.instance_id = ${instance.id} and m.wa_id = ${target.id} and m.from_me = ${target.fromMe}
      and (m.remote_jid = any(${target.chats}) or m.remote_jid_alt = any(${target.chats}))
    limit 1 for update`
  return row
}

/** The sender edited a message: new content stored, the old kept in `edit_history`, MESSAGES_UPDATE with `editedAt`. */
export async function applyEdit(instance: InstanceIdentity, target: MessageTarget, replacement: Record<string, unknown>, editedAt: Date): Promise<void> {
  await sqlClient().begin(async (tx) => {
    const row = await lockTarget(tx, instance, target)
    if (!row) {
      const [type] = Object.keys(replacement)
      await recordEvent(tx, instance, 'MESSAGES_UPDATE', { key: target.key, messageType: type ?? 'conversation', message: replacement, editedAt: editedAt.toISOString() })
      return
    }
    const stored = toMessage(row)
    const edited = editedContent(stored, replacement)
    // The same edit delivered twice changes nothing and is announced once.
    if (JSON.stringify(edited.message) === JSON.stringify(stored.message)) return
    const replaced: EditHistoryEntry = { message: stored.message, messageType: stored.messageType, replacedAt: new Date().toISOString() }
    await tx`
      update messages set message = ${tx.json(edited.message as never)}, message_type = ${edited.messageType}, edited_at = ${editedAt},
        edit_history = edit_history || ${tx.json([replaced] as never)}, updated_at = now()
      where id = ${stored.id}`
    await recordEvent(tx, instance, 'MESSAGES_UPDATE', editPayload({ ...stored, ...edited }, editedAt))
  })
}

/** The sender deleted a message for everyone: marked deleted once, announced as MESSAGES_DELETE once. */
export async function markDeleted(instance: InstanceIdentity, target: MessageTarget): Promise<void> {
  await sqlClient().begin(async (tx) => {
    const row = await lockTarget(tx, instance, target)
    if (!row) {
      await recordEvent(tx, instance, 'MESSAGES_DELETE', { key: target.key })
      return
    }
    const stored = toMessage(row)
    if (stored.deletedAt) return
    await tx`update messages set deleted_at = now(), updated_at = now() where id = ${stored.id}`
    await recordEvent(tx, instance, 'MESSAGES_DELETE', { key: messageKey(stored) })
  })
}
