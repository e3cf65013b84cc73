// Retry receipts, both ways (README.md, "Retries"). A device that cannot decrypt a message answers with
// `<receipt type="retry">` (`<retry count id t v>`, `<registration>`, and from the second attempt, or
// when it lost its session, a `<keys>` bundle); the sender encrypts the message again for that device
// and sends it with the same id. Shapes: Baileys' `sendRetryRequest` and `sendMessagesAgain`
// (node_modules/@whiskeysockets/baileys/lib/Socket/messages-recv.js), whatsmeow's `sendRetryReceipt` and
// `handleRetryReceipt` (retry.go).
import { jidDecode, proto } from '@whiskeysockets/baileys'
import { be, bytesOf, child, node, readBe, unixNow, type BinaryNode } from './binary.js'
import type { Connection } from './connection.js'
import type { Hub } from './hub.js'
import { randomId } from './curve.js'
import { sendFromPhone, sendFromPhoneWithCopies, type SendResult } from './outbound.js'
import type { PreKeyBundle } from './signal-device.js'
import type { Account, DecryptFailures, UndecryptedCopy } from './state.js'

export class RetryError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

/** Sets how many of the next messages from linked devices `account`'s phone fails to decrypt. */
export function setDecryptFailures(hub: Hub, account: Account, input: { count?: number; from?: string; retry?: boolean; includeKeys?: boolean }): DecryptFailures {
  const remaining = Number(input.count ?? 1)
  if (!Number.isInteger(remaining) || remaining < 0) throw new RetryError(400, 'count must be a whole number ≥ 0')
  account.decryptFailures = { remaining, from: input.from ? String(input.from) : undefined, retry: input.retry !== false, includeKeys: input.includeKeys === true }
  hub.world.changed()
  return account.decryptFailures
}

/** The failure to simulate for this copy, counted down; undefined when the phone decrypts it. */
function takeFailure(hub: Hub, recipient: Account, sender: Account): DecryptFailures | undefined {
  const failures = recipient.decryptFailures
  if (!failures || failures.remaining <= 0 || (failures.from && failures.from !== sender.phone)) return undefined
  failures.remaining -= 1
  hub.world.changed()
  return failures
}

/**
 * A 1:1 copy from a linked device to a phone: when the phone is set to fail, it keeps the ciphertext
 * undecrypted (its Signal state untouched) and asks for a retry, now or when told. True when it failed.
 */
export function failedToDecrypt(hub: Hub, recipient: Account, sender: Account, senderDevice: number, stanza: BinaryNode): boolean {
  const failure = takeFailure(hub, recipient, sender)
  if (!failure) return false
  const copy: UndecryptedCopy = { id: stanza.attrs.id, phone: sender.phone, deviceId: senderDevice, chat: stanza.attrs.to, t: stanza.attrs.t ?? String(unixNow()), at: Date.now() }
  recipient.undecrypted = [...(recipient.undecrypted ?? []), copy]
  hub.world.changed()
  if (failure.retry) sendRetryReceipt(hub, recipient, copy, failure.includeKeys)
  return true
}

/** The phone asks again for message `id` it failed to decrypt (a retry that comes late, say after the sender restarted). */
export function requestRetry(hub: Hub, account: Account, id: string, includeKeys = false) {
  const copy = [...(account.undecrypted ?? [])].reverse().find((entry) => entry.id === id)
  if (!copy) throw new RetryError(404, `${account.phone} failed to decrypt no message ${id}`)
  return sendRetryReceipt(hub, account, copy, includeKeys)
}

function sendRetryReceipt(hub: Hub, account: Account, copy: UndecryptedCopy, includeKeys: boolean) {
  const count = (account.retryRequests ?? []).filter((request) => request.id === copy.id).length + 1
  const device = hub.world.phoneDevice(account)
  // From the second attempt on, or when asked, a fresh bundle: the sender then starts a new session with it.
  const keys = count > 1 || includeKeys ? keysNode(device.takeBundle()) : undefined
  const stanza = node('receipt', { from: copy.chat, id: copy.id, type: 'retry', t: unixNow() }, [
    node('retry', { count, id: copy.id, t: copy.t, v: 1 }),
    node('registration', {}, be(device.state.registrationId, 4)),
    ...(keys ? [keys] : [])
  ])
  account.retryRequests = [...(account.retryRequests ?? []), { id: copy.id, to: `${copy.phone}:${copy.deviceId}@s.whatsapp.net`, count, keys: !!keys, at: Date.now() }]
  hub.world.changed()
  return { id: copy.id, count, keys: !!keys, status: hub.deliver(copy.phone, copy.deviceId, stanza) }
}

function keysNode(bundle: PreKeyBundle): BinaryNode {
  return node('keys', {}, [
    node('type', {}, Buffer.from([5])),
    node('identity', {}, bundle.identity),
    ...(bundle.preKey ? [node('key', {}, [node('id', {}, be(bundle.preKey.keyId, 3)), node('value', {}, bundle.preKey.pub)])] : []),
    node('skey', {}, [node('id', {}, be(bundle.signedPreKey.keyId, 3)), node('value', {}, bundle.signedPreKey.pub), node('signature', {}, bundle.signedPreKey.signature)])
  ])
}

/** The bundle in a retry receipt's `<keys>` (Baileys: `extractE2ESessionFromRetryReceipt` in Utils/signal.js). */
function bundleOf(receipt: BinaryNode): PreKeyBundle | undefined {
  const keys = child(receipt, 'keys')
  const skey = child(keys, 'skey')
  if (!keys || !skey) return undefined
  const preKey = child(keys, 'key')
  return {
    registrationId: readBe(bytesOf(child(receipt, 'registration'))),
    identity: bytesOf(child(keys, 'identity')),
    signedPreKey: { keyId: readBe(bytesOf(child(skey, 'id'))), pub: bytesOf(child(skey, 'value')), signature: bytesOf(child(skey, 'signature')) },
    preKey: preKey ? { keyId: readBe(bytesOf(child(preKey, 'id'))), pub: bytesOf(child(preKey, 'value')) } : undefined
  }
}

/**
 * `from` sends `message` to `to`'s linked devices as a ciphertext they cannot decrypt, `times` times
 * (the first copy and the resends after it), then readable on the next retry; with `resend: false`
 * never again. The own phone's copy for `from`'s linked devices is readable.
 */
export async function sendUnreadable(hub: Hub, from: Account, to: Account, message: proto.IMessage, input: { id?: string; times?: number; resend?: boolean }): Promise<SendResult & { ownDevices: SendResult['deliveries'] }> {
  const times = Number(input.times ?? 1)
  if (!Number.isInteger(times) || times < 1) throw new RetryError(400, 'undecryptable.times must be a whole number ≥ 1')
  const id = input.id ?? randomId(10)
  const t = unixNow()
  from.heldForRetry = [...(from.heldForRetry ?? []).filter((held) => held.id !== id), {
    id, to: to.phone, message: Buffer.from(proto.Message.encode(message).finish()).toString('base64'), failuresLeft: times - 1, resend: input.resend !== false, t
  }]
  hub.world.changed()
  return sendFromPhoneWithCopies(hub, from, to, message, { id, t, unreadable: true })
}

/**
 * A retry receipt from a linked device for a message a phone holds for a resend: encrypt it again for
 * that device only (readable unless more failures are due), same id, the original `t`, `<enc count>`,
 * with a new session when the receipt carried keys (whatsmeow: handleRetryReceipt).
 */
export async function answerRetry(hub: Hub, conn: Connection, receipt: BinaryNode): Promise<void> {
  if (!conn.login || receipt.attrs.type !== 'retry') return
  const addressed = jidDecode(receipt.attrs.to)
  const sender = addressed && hub.world.accountForJid(`${addressed.user}@${addressed.server}`, false)
  const held = sender?.heldForRetry?.find((entry) => entry.id === receipt.attrs.id)
  const recipient = hub.world.account(conn.login.phone)
  if (!sender || !held || !held.resend || !recipient || recipient.phone !== held.to) return
  const unreadable = held.failuresLeft > 0
  if (unreadable) held.failuresLeft -= 1
  hub.world.changed()
  const message = proto.Message.decode(Buffer.from(held.message, 'base64'))
  await sendFromPhone(hub, sender, recipient, message, {
    id: held.id,
    t: held.t,
    onlyDevice: conn.login.deviceId,
    unreadable,
    bundle: bundleOf(receipt),
    retryCount: Number(child(receipt, 'retry')?.attrs.count ?? 1)
  })
}
