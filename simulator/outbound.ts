// Messages from a simulated phone to Baileys companions: one Signal ciphertext per companion, delivered live
// or queued. Baileys decrypts them in node_modules/@whiskeysockets/baileys/lib/Utils/decode-wa-message.js.
import type { proto } from '@whiskeysockets/baileys'
import { node, unixNow, type BinaryNode } from './binary.js'
import { randomId } from './curve.js'
import type { Hub } from './hub.js'
import type { PreKeyBundle } from './signal-device.js'
import type { Account, Companion, Group } from './state.js'
import { deviceSentAttrs, directSenderAttrs, groupSenderAttrs, pnJid } from './addressing.js'
import { unreadableCopy } from './unreadable.js'

/** Wire `type` and `<enc mediatype>` for a message, as Baileys would label it. */
export function stanzaTypeOf(outer: proto.IMessage): { type: string; mediatype?: string } {
  const message = outer.deviceSentMessage?.message ?? outer
  if (message.reactionMessage) return { type: 'reaction' }
  if (message.pollCreationMessage || message.pollCreationMessageV2 || message.pollCreationMessageV3 || message.pollUpdateMessage) return { type: 'poll' }
  if (message.imageMessage) return { type: 'media', mediatype: 'image' }
  if (message.videoMessage) return { type: 'media', mediatype: message.videoMessage.gifPlayback ? 'gif' : 'video' }
  if (message.ptvMessage) return { type: 'media', mediatype: 'ptv' }
  if (message.audioMessage) return { type: 'media', mediatype: message.audioMessage.ptt ? 'ptt' : 'audio' }
  if (message.documentMessage) return { type: 'media', mediatype: 'document' }
  if (message.stickerMessage) return { type: 'media', mediatype: 'sticker' }
  if (message.contactMessage) return { type: 'media', mediatype: 'vcard' }
  if (message.contactsArrayMessage) return { type: 'media', mediatype: 'contact_array' }
  return { type: 'text' }
}

/**
 * The `edit` attribute WhatsApp puts on edits and deletions (whatsmeow: `getEditAttribute` in send.go,
 * `EditAttribute` in types/message.go): 1 an edit, 7 the sender's own deletion, 8 an admin's.
 */
export function editAttributeOf(message: proto.IMessage): string | undefined {
  const protocol = message.editedMessage?.message?.protocolMessage ?? message.protocolMessage
  if (!protocol?.key) return undefined
  if (protocol.type === 14 /* MESSAGE_EDIT */) return '1'
  if (protocol.type === 0 /* REVOKE */) return protocol.key.fromMe ? '7' : '8'
  return undefined
}

/** A companion's bundle from what it uploaded; each one-time key is handed out once. */
export function companionBundle(hub: Hub, companion: Companion): PreKeyBundle {
  const [firstId] = Object.keys(companion.preKeys)
  let preKey: PreKeyBundle['preKey']
  if (firstId !== undefined) {
    preKey = { keyId: Number(firstId), pub: Buffer.from(companion.preKeys[firstId], 'base64') }
    delete companion.preKeys[firstId]
    hub.world.changed()
  }
  return {
    registrationId: companion.registrationId,
    identity: Buffer.from(companion.identityKey, 'base64'),
    signedPreKey: {
      keyId: companion.signedPreKey.keyId,
      pub: Buffer.from(companion.signedPreKey.pub, 'base64'),
      signature: Buffer.from(companion.signedPreKey.signature, 'base64')
    },
    preKey
  }
}

// Session setup and ratchet steps must not interleave for one sending device.
const locks = new Map<string, Promise<unknown>>()
export function withDeviceLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(key) ?? Promise.resolve()
  const next = prev.then(fn, fn)
  locks.set(key, next.catch(() => undefined))
  return next
}

export interface SendOptions {
  id?: string
  /** `peer` for protocol messages from the own phone to its companions. */
  category?: 'peer'
  /** Limit to one companion of the recipient (e.g. the one that just logged in). */
  onlyDevice?: number
  /** For group messages: the group (the stanza then comes `from` the group with a `participant`). */
  group?: Group
  /** Extra children placed before the message's `<enc>` (e.g. group sender keys). */
  extraAttrs?: Record<string, string | undefined>
  /** Retries (retries.ts): an unreadable copy, a new session from the recipient's bundle, the resend's `<enc count>` and original `t`. */
  unreadable?: boolean
  bundle?: PreKeyBundle
  retryCount?: number
  t?: number
}

export interface SendResult {
  id: string
  deliveries: { deviceId: number; status: 'sent' | 'queued' | 'gone' }[]
}

export async function sendFromPhone(hub: Hub, from: Account, to: Account, message: proto.IMessage, opts: SendOptions = {}): Promise<SendResult> {
  const id = opts.id ?? randomId(10)
  const { type, mediatype } = stanzaTypeOf(message)
  const sender = hub.world.phoneDevice(from)
  const targets = to.companions.filter((c) => opts.onlyDevice === undefined || c.deviceId === opts.onlyDevice)
  const deliveries: SendResult['deliveries'] = []
  for (const companion of targets) {
    const address = { name: to.phone, device: companion.deviceId }
    const enc = await withDeviceLock(from.phone, async () => {
      // A retry receipt with keys: the recipient lost its session, so start a new one from its bundle (whatsmeow: handleRetryReceipt).
      if (opts.bundle) sender.forgetSessionsWith(to.phone, companion.deviceId)
      const encrypted = await sender.encrypt(address, message, () => opts.bundle ?? companionBundle(hub, companion))
      return opts.unreadable ? unreadableCopy(encrypted) : encrypted
    })
    const attrs: Record<string, string | number | undefined> = opts.group
      ? { id, from: `${opts.group.id}@g.us`, ...groupSenderAttrs(opts.group, from), t: unixNow(), type, notify: from.name, edit: editAttributeOf(message) }
      : {
          id,
          // Baileys stores PN↔LID from the alternate identity; the own account's LID is known from <success>.
          ...(from === to ? { from: pnJid(from) } : directSenderAttrs(from)),
          t: opts.t ?? unixNow(),
          type,
          category: opts.category,
          notify: from.name,
          edit: editAttributeOf(message)
        }
    const stanza: BinaryNode = node('message', { ...attrs, ...opts.extraAttrs }, [node('enc', { v: 2, type: enc.type, mediatype, count: opts.retryCount }, enc.body)])
    deliveries.push({ deviceId: companion.deviceId, status: hub.deliver(to.phone, companion.deviceId, stanza) })
  }
  return { id, deliveries }
}

/**
 * What a phone sends reaches the other party's devices and, as a device-sent copy
 * (`deviceSentMessage` with the chat as `destinationJid`), the sender's own linked devices: that is how
 * an app sees what its user typed on the phone (Baileys unwraps it in decode-wa-message.js).
 */
export async function sendFromPhoneWithCopies(hub: Hub, from: Account, to: Account, message: proto.IMessage, opts: Pick<SendOptions, 'id' | 't' | 'unreadable'> = {}): Promise<SendResult & { ownDevices: SendResult['deliveries'] }> {
  // `unreadable` spoils the copies for `to` only (retries.ts): the own linked devices read theirs.
  const sent = await sendFromPhone(hub, from, to, message, opts)
  let ownDevices: SendResult['deliveries'] = []
  if (from !== to && from.companions.length) {
    const attrs = deviceSentAttrs(from, to)
    const copy = await sendFromPhone(hub, from, from, { deviceSentMessage: { destinationJid: attrs.recipient, message } }, { id: sent.id, extraAttrs: { ...attrs, edit: editAttributeOf(message) } })
    ownDevices = copy.deliveries
  }
  return { ...sent, ownDevices }
}
