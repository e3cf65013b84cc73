// Pairing by 8-character code (Baileys: `requestPairingCode` in
// node_modules/@whiskeysockets/baileys/lib/Socket/socket.js, `derivePairingCodeKey` in
// node_modules/@whiskeysockets/baileys/lib/Utils/crypto.js): the companion wraps its pairing ephemeral key
// with the code, the simulated phone unwraps it, answers with its own, and both derive the ADV secret that
// signs pair-success.
import { createCipheriv, createDecipheriv, hkdfSync, pbkdf2, randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import { bytesOf, child, iqResult, node, SERVER_JID, unixNow, type BinaryNode } from './binary.js'
import { generateKeyPair, randomId, sharedKey, type KeyPair } from './curve.js'
import type { Connection } from './connection.js'
import type { Hub } from './hub.js'
import { completePairing, PairingError, type PairResult } from './pairing.js'
import { normalisePhone } from './world.js'

const pbkdf2Async = promisify(pbkdf2)

interface LinkCodeState {
  phone: string
  wrappedCompanionEphemeral: Buffer
  ref: string
  phoneEphemeral?: KeyPair
  companionEphemeral?: Buffer
  onFinish?: (finish: BinaryNode) => void
}

const pending = new WeakMap<Connection, LinkCodeState>()

// 2 << 16 iterations, as Baileys' derivePairingCodeKey
const codeKey = (code: string, salt: Buffer) => pbkdf2Async(Buffer.from(code), salt, 2 << 16, 32, 'sha256')

const ctr = (key: Buffer, iv: Buffer, data: Buffer, decrypt = false) => {
  const c = decrypt ? createDecipheriv('aes-256-ctr', key, iv) : createCipheriv('aes-256-ctr', key, iv)
  return Buffer.concat([c.update(data), c.final()])
}

/** companion_hello / companion_finish from a registering client. */
export function handleLinkCodeIq(hub: Hub, conn: Connection, iq: BinaryNode, req: BinaryNode): void {
  if (req.attrs.stage === 'companion_hello') {
    const state: LinkCodeState = {
      phone: normalisePhone(req.attrs.jid ?? ''),
      wrappedCompanionEphemeral: bytesOf(child(req, 'link_code_pairing_wrapped_companion_ephemeral_pub')),
      ref: randomBytes(16).toString('base64url')
    }
    pending.set(conn, state)
    hub.pairingCodes.add(conn)
    conn.send(iqResult(iq.attrs.id, [node('link_code_companion_reg', {}, [node('link_code_pairing_ref', {}, Buffer.from(state.ref))])]))
    return
  }
  conn.send(iqResult(iq.attrs.id))
  if (req.attrs.stage === 'companion_finish') pending.get(conn)?.onFinish?.(req)
}

/** The simulated phone of `phone` enters the code the companion displays. */
export async function submitPairingCode(hub: Hub, phoneRaw: string, code: string): Promise<PairResult> {
  const phone = normalisePhone(phoneRaw)
  const conn = [...hub.pairingCodes].find((c) => !c.closed && pending.get(c)?.phone === phone)
  const state = conn && pending.get(conn)
  if (!conn || !state || !conn.registration) throw new PairingError(`no companion is waiting for a pairing code for ${phone}`, 404)
  const account = hub.world.ensureAccount(phone)
  if (!account) throw new PairingError('this number is marked as not on WhatsApp')

  const w = state.wrappedCompanionEphemeral
  const companionEphemeral = ctr(await codeKey(code.toUpperCase(), w.subarray(0, 32)), w.subarray(32, 48), w.subarray(48, 80), true)
  const phoneEphemeral = generateKeyPair()
  const salt = randomBytes(32)
  const iv = randomBytes(16)
  const wrappedPrimary = Buffer.concat([salt, iv, ctr(await codeKey(code.toUpperCase(), salt), iv, phoneEphemeral.public)])
  const phoneIdentity = hub.world.phoneDevice(account)

  const finish = new Promise<BinaryNode>((resolve, reject) => {
    const timer = setTimeout(() => reject(new PairingError('companion did not finish code pairing (wrong code?)', 504)), 10_000)
    state.onFinish = (n) => {
      clearTimeout(timer)
      resolve(n)
    }
  })
  conn.send(node('notification', { from: SERVER_JID, type: 'link_code_companion_reg', id: randomId(8), t: unixNow() }, [
    node('link_code_companion_reg', {}, [
      node('link_code_pairing_ref', {}, Buffer.from(state.ref)),
      node('primary_identity_pub', {}, phoneIdentity.identityPub32),
      node('link_code_pairing_wrapped_primary_ephemeral_pub', {}, wrappedPrimary)
    ])
  ]))
  const fin = await finish
  hub.pairingCodes.delete(conn)

  // The bundle proves the companion saw our ephemeral key; it carries the randomness of the ADV secret.
  const companionShared = sharedKey(phoneEphemeral.private, companionEphemeral)
  const bundle = bytesOf(child(fin, 'link_code_pairing_wrapped_key_bundle'))
  const bundleKey = Buffer.from(hkdfSync('sha256', companionShared, bundle.subarray(0, 32), 'link_code_pairing_key_bundle_encryption_key', 32))
  const gcm = createDecipheriv('aes-256-gcm', bundleKey, bundle.subarray(32, 44))
  const sealed = bundle.subarray(44)
  gcm.setAuthTag(sealed.subarray(sealed.length - 16))
  let plain: Buffer
  try {
    plain = Buffer.concat([gcm.update(sealed.subarray(0, sealed.length - 16)), gcm.final()])
  } catch {
    // a wrong code unwraps the companion's key to garbage, so the shared secrets differ
    throw new PairingError('pairing code does not match the one the companion shows', 400)
  }
  const companionIdentity = plain.subarray(0, 32)
  if (!companionIdentity.equals(conn.registration.identityKey)) throw new PairingError('key bundle identity does not match the registration', 502)
  const random = plain.subarray(64, 96)
  const identityShared = sharedKey(phoneIdentity.identityPriv, companionIdentity)
  const advSecret = Buffer.from(hkdfSync('sha256', Buffer.concat([companionShared, identityShared, random]), Buffer.alloc(0), 'adv_secret', 32))
  return completePairing(hub, conn, account, advSecret)
}
