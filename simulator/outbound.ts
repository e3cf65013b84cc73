// Messages from a simulated phone to Baileys companions: one Signal ciphertext per companion, delivered live
// or queued. Baileys decrypts them in node_modules/@whiskeysockets/baileys/lib/Utils/decode-wa-message.js.
import type { proto } from '@whiskeysockets/baileys'
import { node, unixNow, type BinaryNode } from './binary.js'
import { randomId } from './curve.js'
import type { Hub } from './hub.js'
import type { PreKeyBundle } from './signal-device.js'
import type { Account, Companion } from './state.js'

/** Wire `type` and `<enc mediatype>` for a message, as Baileys would label it. */
export function stanzaTypeOf(message: proto.IMessage): { type: string; mediatype?: string } {
  if (message.reactionMessage) return { type: 'reaction' }
  if (message.imageMessage) return { type: 'media', mediatype: 'image' }
  if (message.videoMessage) return { type: 'media', mediatype: message.videoMessage.gifPlayback ? 'gif' : 'video' }
  if (message.audioMessage) return { type: 'media', mediatype: message.audioMessage.ptt ? 'ptt' : 'audio' }
  if (message.documentMessage) return { type: 'media', mediatype: 'document' }
  if (message.stickerMessage) return { type: 'media', mediatype: 'sticker' }
  if (message.contactMessage) return { type: 'media', mediatype: 'vcard' }
  if (message.contactsArrayMessage) return { type: 'media', mediatype: 'contact_array' }
  return { type: 'text' }
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
  /** For group messages: the group JID (the stanza then comes `from` the group with a `participant`). */
  groupJid?: string
  /** Extra children placed before the message's `<enc>` (e.g. group sender keys). */
  extraAttrs?: Record<string, string>
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
    const enc = await withDeviceLock(from.phone, () =>
      sender.encrypt({ name: to.phone, device: companion.deviceId }, message, () => companionBundle(hub, companion)))
    const attrs: Record<string, string | number | undefined> = opts.groupJid
      ? { id, from: opts.groupJid, participant: `${from.phone}@s.whatsapp.net`, participant_lid: `${from.lid}@lid`, addressing_mode: 'pn', t: unixNow(), type, notify: from.name }
      : {
          id,
          from: `${from.phone}@s.whatsapp.net`,
          // Baileys stores PN↔LID from this; the own account's LID is known from <success>.
          sender_lid: from === to ? undefined : `${from.lid}@lid`,
          t: unixNow(),
          type,
          category: opts.category,
          notify: from.name
        }
    const stanza: BinaryNode = node('message', { ...attrs, ...opts.extraAttrs }, [node('enc', { v: 2, type: enc.type, mediatype }, enc.body)])
    deliveries.push({ deviceId: companion.deviceId, status: hub.deliver(to.phone, companion.deviceId, stanza) })
  }
  return { id, deliveries }
}
