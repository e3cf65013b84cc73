// Receipts in both directions: from simulated recipients to the Baileys sender (Baileys: `handleReceipt` in
// node_modules/@whiskeysockets/baileys/lib/Socket/messages-recv.js), and the ones Baileys sends for what it
// received.
import { jidDecode } from '@whiskeysockets/baileys'
import { child, children, node, unixNow, type BinaryNode } from './binary.js'
import type { Connection } from './connection.js'
import type { Hub } from './hub.js'
import type { Account } from './state.js'
import { answerRetry } from './retries.js'

export type ReceiptKind = 'delivery' | 'read' | 'played'

export interface ReceiptTarget {
  /** The sending companion. */
  phone: string
  deviceId: number
}

/**
 * A receipt from a simulated recipient to the companion that sent the
 * messages. `chatJid` is the chat as the sender addressed it; `participant`
 * is set for groups.
 */
export function sendReceipt(hub: Hub, target: ReceiptTarget, chatJid: string, ids: string[], kind: ReceiptKind, participant?: string): 'sent' | 'queued' | 'gone' {
  const [first, ...rest] = ids
  const stanza = node('receipt', {
    id: first,
    from: chatJid,
    participant,
    type: kind === 'delivery' ? undefined : kind,
    t: unixNow()
  }, rest.length ? [node('list', {}, rest.map((id) => node('item', { id })))] : undefined)
  return hub.deliver(target.phone, target.deviceId, stanza)
}

/**
 * Schedules the automatic delivery/read receipts of one recipient. Delivery
 * comes well before read: receipts a few ms apart get folded into Baileys'
 * buffered upsert and can arrive out of order (node_modules/@whiskeysockets/baileys/lib/Utils/event-buffer.js;
 * README.md, "World model").
 */
export function scheduleAutoReceipts(hub: Hub, recipient: Account, target: ReceiptTarget, chatJid: string, id: string, participant?: string): void {
  const timing = hub.world.receiptTiming(recipient)
  if (timing.deliveryMs !== null) hub.schedule(timing.deliveryMs, () => void sendReceipt(hub, target, chatJid, [id], 'delivery', participant))
  if (timing.readMs !== null) hub.schedule(timing.readMs, () => void sendReceipt(hub, target, chatJid, [id], 'read', participant))
}

/** Receipts a companion sends for messages it received: recorded on the sending account; a retry receipt may be answered (retries.ts). */
export async function handleClientReceipt(hub: Hub, conn: Connection, stanza: BinaryNode): Promise<void> {
  const to = stanza.attrs.participant ?? stanza.attrs.to
  if (!to) return
  const decoded = jidDecode(to)
  const account = decoded && hub.world.accountForJid(`${decoded.user}@${decoded.server}`, false)
  if (!account) return
  const ids = [stanza.attrs.id, ...children(child(stanza, 'list'), 'item').map((i) => i.attrs.id)]
  const by = conn.login ? `${conn.login.phone}:${conn.login.deviceId}@s.whatsapp.net` : 'unknown'
  const retry = child(stanza, 'retry')
  const retryFields = retry ? { count: Number(retry.attrs.count ?? 1), keys: !!child(stanza, 'keys') } : {}
  for (const id of ids) account.receipts.push({ id, from: by, type: stanza.attrs.type ?? 'delivery', at: Date.now(), ...retryFields })
  hub.world.changed()
  if (stanza.attrs.type === 'retry') await answerRetry(hub, conn, stanza)
}
