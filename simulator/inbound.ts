// Messages a Baileys companion sends (node_modules/@whiskeysockets/baileys/lib/Socket/messages-send.js,
// `relayMessage`): ack, decrypt every copy addressed to a simulated device, record it, and answer with
// receipts.
import { jidDecode, type proto } from '@whiskeysockets/baileys'
import { bytesOf, child, children, node, unixNow, type BinaryNode } from './binary.js'
import type { Connection } from './connection.js'
import type { Hub } from './hub.js'
import { scheduleAutoReceipts } from './receipts.js'
import { refuseSend } from './sending-limits.js'
import { withDeviceLock } from './outbound.js'
import { decryptGroupCopy, groupOf } from './groups.js'
import { failedToDecrypt } from './retries.js'
import type { Account, ReceivedMessage } from './state.js'

interface Copy {
  jid: string
  enc: BinaryNode
}

function copiesOf(stanza: BinaryNode): Copy[] {
  const out: Copy[] = []
  for (const to of children(child(stanza, 'participants'), 'to')) {
    const enc = child(to, 'enc')
    if (enc) out.push({ jid: to.attrs.jid, enc })
  }
  // peer messages carry one <enc> directly
  for (const enc of children(stanza, 'enc')) {
    if (enc.attrs.type !== 'skmsg') out.push({ jid: stanza.attrs.to, enc })
  }
  return out
}

function toJson(message: proto.IMessage): Record<string, unknown> {
  // Buffers → base64, Longs → numbers: what a test wants to assert on
  return JSON.parse(JSON.stringify(message, (_k, v) => {
    if (v && typeof v === 'object' && v.type === 'Buffer' && Array.isArray(v.data)) return Buffer.from(v.data).toString('base64')
    return v
  }))
}

export async function handleClientMessage(hub: Hub, conn: Connection, stanza: BinaryNode): Promise<void> {
  const { id, to } = stanza.attrs
  if (refuseSend(hub, conn, stanza)) return
  conn.send(node('ack', { class: 'message', id, from: to, t: unixNow() }))
  if (!conn.login) return
  const sender = hub.world.account(conn.login.phone)
  if (!sender) return
  const senderDevice = conn.login.deviceId
  const group = to.endsWith('@g.us') ? groupOf(hub, to) : undefined
  const recipients = new Map<string, { account: Account; jid: string }>()

  for (const copy of copiesOf(stanza)) {
    const d = jidDecode(copy.jid)
    if (!d) continue
    const target = hub.world.accountForJid(`${d.user}@${d.server}`)
    if (!target) continue
    const deviceId = d.device ?? 0
    if (deviceId !== 0) {
      forwardToCompanion(hub, stanza, copy, target, deviceId, conn)
      continue
    }
    // A phone set to fail (retries.ts) keeps the copy undecrypted and asks for a retry instead.
    if (!group && target !== sender && failedToDecrypt(hub, target, sender, senderDevice, stanza)) continue
    const message = await decryptCopy(hub, target, sender, senderDevice, copy.enc)
    if (!message) continue
    if (group) {
      await decryptGroupCopy(hub, target, sender, senderDevice, stanza, message)
    } else {
      await record(hub, target, {
        id,
        from: `${sender.phone}:${senderDevice}@s.whatsapp.net`,
        chat: target === sender ? message.deviceSentMessage?.destinationJid ?? to : `${sender.phone}@s.whatsapp.net`,
        device: 0,
        type: stanza.attrs.type,
        mediatype: copy.enc.attrs.mediatype,
        edit: stanza.attrs.edit,
        message: toJson(message.deviceSentMessage?.message ?? message),
        receivedAt: Date.now(),
        deviceSent: target === sender
      }, message.deviceSentMessage?.message ?? message)
    }
    if (target !== sender && stanza.attrs.category !== 'peer') recipients.set(target.phone, { account: target, jid: `${d.user}@${d.server}` })
  }

  if (group) {
    for (const { account, jid } of await group.deliverSenderKeyMessage(stanza, sender, senderDevice)) recipients.set(account.phone, { account, jid })
  }
  for (const { account, jid } of recipients.values()) {
    if (group) scheduleAutoReceipts(hub, account, conn.login, to, id, jid)
    else scheduleAutoReceipts(hub, account, conn.login, to, id)
  }
}

async function decryptCopy(hub: Hub, target: Account, sender: Account, senderDevice: number, enc: BinaryNode): Promise<proto.IMessage | undefined> {
  try {
    return await withDeviceLock(target.phone, () =>
      hub.world.phoneDevice(target).decrypt({ name: sender.phone, device: senderDevice }, enc.attrs.type, bytesOf(enc)))
  } catch (err) {
    target.inbox.push({
      id: 'decrypt-error', from: `${sender.phone}:${senderDevice}@s.whatsapp.net`, chat: '', device: 0, type: 'error',
      message: { error: String(err) }, receivedAt: Date.now()
    })
    hub.world.changed()
    return undefined
  }
}

/**
 * Keeps what a phone decrypted, once per message: a phone already holding a message with the same
 * chat, sender and id (a sender that crashed after handing it over and sent it again with the same
 * id) stores nothing new, as WhatsApp's apps keep one message per key; the stored one counts the
 * copy in `copies`. The server side relays every copy (it does not deduplicate by id): README.md,
 * "Resends with the same id".
 */
export async function record(hub: Hub, target: Account, entry: ReceivedMessage, message: proto.IMessage): Promise<void> {
  const senderOf = (from: string) => from.split(/[:@]/)[0]
  const known = target.inbox.find((kept) => kept.id === entry.id && kept.chat === entry.chat && senderOf(kept.from) === senderOf(entry.from) && kept.type !== 'error')
  if (known) {
    known.copies = (known.copies ?? 1) + 1
    hub.world.changed()
    return
  }
  if (hub.media) entry.media = await hub.media.decryptAttached(message)
  target.inbox.push(entry)
  hub.world.changed()
}

/**
 * A copy for another Baileys companion in the same simulator: pass it on as the server would, with
 * the sender's device JID as `from`, its LID, and its device identity on a pkmsg (wired, not yet
 * covered by tests: README.md, "Not modelled").
 */
function forwardToCompanion(hub: Hub, stanza: BinaryNode, copy: Copy, target: Account, deviceId: number, conn: Connection): void {
  const sender = hub.world.account(conn.login!.phone)!
  const identity = child(stanza, 'device-identity')
  const fromSelf = sender === target
  const forwarded = node('message', {
    id: stanza.attrs.id,
    from: `${sender.phone}:${conn.login!.deviceId}@s.whatsapp.net`,
    sender_lid: fromSelf ? undefined : `${sender.lid}:${conn.login!.deviceId}@lid`,
    recipient: fromSelf ? stanza.attrs.to : undefined,
    t: unixNow(),
    type: stanza.attrs.type,
    notify: sender.name
  }, [copy.enc, ...(identity && copy.enc.attrs.type === 'pkmsg' ? [identity] : [])])
  hub.deliver(target.phone, deviceId, forwarded)
}
