// WhatsApp keeps every message and receipt stanza it pushed to a device until that device clears it,
// and pushes the ones still uncleared again at the device's next login (README.md, "Redelivery").
// A message is cleared by the client's <receipt> for it (any type but `retry`) or by an
// <ack class="message"> (a nack included); a receipt by the client's <ack class="receipt">.
// Baileys' side: handleMessage (receipt after decrypt), handleReceipt (ack in `finally`) and
// sendMessageAck in node_modules/@whiskeysockets/baileys/lib/Socket/messages-recv.js.
import { child, children, encodeNode, type BinaryNode } from './binary.js'
import type { Connection } from './connection.js'
import type { Companion } from './state.js'

const TRACKED = new Set(['message', 'receipt'])

const keyOf = (tag: string, id: string, type?: string) => (tag === 'receipt' ? `receipt:${id}:${type ?? ''}` : `message:${id}`)

/** Remembers a message or receipt stanza just sent to `conn` until the client clears it. */
export function trackSent(companion: Companion, conn: Connection, stanza: BinaryNode): void {
  if (!TRACKED.has(stanza.tag) || !stanza.attrs.id) return
  const key = keyOf(stanza.tag, stanza.attrs.id, stanza.attrs.type)
  const { offline: _offline, ...attrs } = stanza.attrs
  const stored = encodeNode({ ...stanza, attrs }).toString('base64')
  companion.unacked = [...(companion.unacked ?? []).filter((entry) => entry.key !== key), { key, conn: conn.id, stanza: stored }]
}

/** The keys a client stanza clears: a receipt clears the messages it names, an ack the stanza it names. */
export function clearedBy(stanza: BinaryNode): string[] {
  const { id, type } = stanza.attrs
  if (!id) return []
  if (stanza.tag === 'receipt') {
    if (type === 'retry') return [] // a retry request asks for the message again; it clears nothing
    return [id, ...children(child(stanza, 'list'), 'item').map((item) => item.attrs.id)].map((messageId) => keyOf('message', messageId))
  }
  if (stanza.tag === 'ack' && (stanza.attrs.class === 'message' || stanza.attrs.class === 'receipt')) return [keyOf(stanza.attrs.class, id, type)]
  return []
}

/** Forgets what the client cleared; true when anything was. */
export function clear(companion: Companion, keys: string[]): boolean {
  if (!keys.length || !companion.unacked?.length) return false
  const before = companion.unacked.length
  const gone = new Set(keys)
  companion.unacked = companion.unacked.filter((entry) => !gone.has(entry.key))
  return companion.unacked.length !== before
}

/**
 * Takes back what was sent to connections other than the live ones (closed, or from before a
 * simulator restart): these go out again, oldest first, ahead of the offline queue.
 */
export function takeUncleared(companion: Companion, liveConnectionIds: Set<string>): string[] {
  const entries = companion.unacked ?? []
  const stale = entries.filter((entry) => !liveConnectionIds.has(entry.conn))
  companion.unacked = entries.filter((entry) => liveConnectionIds.has(entry.conn))
  return stale.map((entry) => entry.stanza)
}
