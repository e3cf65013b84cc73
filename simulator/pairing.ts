// QR pairing: refs for a registering client, the simulated phone's scan, pair-success /
// pair-device-sign, then the 515 restart. Baileys' side: the pair-device and pair-success
// handlers in node_modules/@whiskeysockets/baileys/lib/Socket/socket.js and `configureSuccessfulPairing` in
// node_modules/@whiskeysockets/baileys/lib/Utils/validate-connection.js.
import { createHmac, randomBytes } from 'node:crypto'
import { proto } from '@whiskeysockets/baileys'
import { bytesOf, child, node, SERVER_JID, unixNow } from './binary.js'
import { sign, verify } from './curve.js'
import type { Connection } from './connection.js'
import type { Hub } from './hub.js'
import type { Account } from './state.js'

const REF_COUNT = 6
const ACCOUNT_SIG_PREFIX = Buffer.from([6, 0])
const DEVICE_SIG_PREFIX = Buffer.from([6, 1])

export class PairingError extends Error {
  constructor(message: string, readonly status = 400) {
    super(message)
  }
}

/** Registration ClientPayload: remember the client's keys and hand out QR refs. */
export function startQrPairing(hub: Hub, conn: Connection, payload: proto.IClientPayload): void {
  const reg = payload.devicePairingData!
  // Refs become part of the QR string as UTF-8 text, so they must be printable and comma-free.
  const refs = Array.from({ length: REF_COUNT }, () => randomBytes(16).toString('base64url'))
  conn.registration = {
    registrationId: Buffer.from(reg.eRegid!).readUInt32BE(0),
    identityKey: Buffer.from(reg.eIdent!),
    signedPreKey: {
      keyId: Buffer.from(reg.eSkeyId!).readUIntBE(0, 3),
      pub: Buffer.from(reg.eSkeyVal!),
      signature: Buffer.from(reg.eSkeySig!)
    },
    refs,
    // Baileys: generateRegistrationNode in Utils/validate-connection.js
    requireFullSync: reg.deviceProps ? proto.DeviceProps.decode(reg.deviceProps).requireFullSync === true : false
  }
  hub.pairingRefs.register(refs, conn)
  conn.query(node('iq', { from: SERVER_JID, type: 'set', xmlns: 'md' }, [
    node('pair-device', {}, refs.map((r) => node('ref', {}, Buffer.from(r))))
  ])).catch(() => undefined)
}

/** ref → waiting registration connection. */
export class PairingRefs {
  private readonly byRef = new Map<string, Connection>()

  register(refs: string[], conn: Connection): void {
    for (const r of refs) this.byRef.set(r, conn)
  }

  find(ref: string): Connection | undefined {
    const c = this.byRef.get(ref)
    return c && !c.closed ? c : undefined
  }

  forget(conn: Connection): void {
    for (const [r, c] of this.byRef) if (c === conn) this.byRef.delete(r)
  }
}

export interface PairResult {
  phone: string
  lid: string
  deviceId: number
  jid: string
}

/** The simulated phone of `phone` scans the QR string shown by a registering client. */
export async function scanQr(hub: Hub, qr: string, phone: string, name?: string): Promise<PairResult> {
  const hash = qr.includes('#') ? qr.slice(qr.indexOf('#') + 1) : qr
  const [ref, noiseB64, identityB64, advB64] = hash.split(',')
  if (!ref || !noiseB64 || !identityB64 || !advB64) throw new PairingError('malformed QR string')
  const conn = hub.pairingRefs.find(ref)
  if (!conn?.registration) throw new PairingError('unknown or expired QR ref', 404)
  if (!conn.clientStaticKey?.equals(Buffer.from(noiseB64, 'base64'))) throw new PairingError('QR noise key does not match the connection')
  if (!conn.registration.identityKey.equals(Buffer.from(identityB64, 'base64'))) throw new PairingError('QR identity key does not match the registration')
  const account = hub.world.ensureAccount(phone, name)
  if (!account) throw new PairingError('this number is marked as not on WhatsApp')
  return completePairing(hub, conn, account, Buffer.from(advB64, 'base64'))
}

/** pair-success signed by the phone's account key, then wait for the client's device signature. */
export async function completePairing(hub: Hub, conn: Connection, account: Account, advSecret: Buffer): Promise<PairResult> {
  const reg = conn.registration!
  const phoneDevice = hub.world.phoneDevice(account)
  const accountKeyPub = phoneDevice.identityPub32
  const deviceId = account.nextDeviceId
  const keyIndex = account.nextKeyIndex
  const details = Buffer.from(proto.ADVDeviceIdentity.encode({
    rawId: randomBytes(4).readUInt32BE(0),
    timestamp: unixNow(),
    keyIndex,
    accountType: proto.ADVEncryptionType.E2EE,
    deviceType: proto.ADVEncryptionType.E2EE
  }).finish())
  const accountSignature = sign(phoneDevice.identityPriv, Buffer.concat([ACCOUNT_SIG_PREFIX, details, reg.identityKey]))
  const signed = Buffer.from(proto.ADVSignedDeviceIdentity.encode({ details, accountSignatureKey: accountKeyPub, accountSignature }).finish())
  const hmac = createHmac('sha256', advSecret).update(signed).digest()
  const container = Buffer.from(proto.ADVSignedDeviceIdentityHMAC.encode({ details: signed, hmac }).finish())

  hub.pairingRefs.forget(conn)
  const reply = await conn.query(node('iq', { from: SERVER_JID, type: 'set' }, [
    node('pair-success', {}, [
      node('device-identity', {}, container),
      node('platform', { name: 'android' }),
      node('device', { jid: `${account.phone}:${deviceId}@s.whatsapp.net`, lid: `${account.lid}:${deviceId}@lid` })
    ])
  ]))
  const identityNode = child(child(reply, 'pair-device-sign'), 'device-identity')
  if (!identityNode) throw new PairingError('client did not sign the device identity', 502)
  const signedBack = proto.ADVSignedDeviceIdentity.decode(bytesOf(identityNode))
  const deviceMsg = Buffer.concat([DEVICE_SIG_PREFIX, details, reg.identityKey, accountKeyPub])
  if (!signedBack.deviceSignature || !verify(reg.identityKey, deviceMsg, signedBack.deviceSignature)) {
    conn.streamError(401)
    throw new PairingError('device signature from the client does not verify', 502)
  }
  account.nextDeviceId++
  account.nextKeyIndex++
  account.companions.push({
    deviceId,
    keyIndex,
    registrationId: reg.registrationId,
    identityKey: reg.identityKey.toString('base64'),
    signedPreKey: { keyId: reg.signedPreKey.keyId, pub: reg.signedPreKey.pub.toString('base64'), signature: reg.signedPreKey.signature.toString('base64') },
    preKeys: {},
    noiseKey: conn.clientStaticKey!.toString('base64'),
    platform: 'web',
    createdAt: Date.now(),
    queue: [],
    requireFullSync: reg.requireFullSync,
    historyPending: true
  })
  hub.world.changed()
  // Like the real server: pairing ends with "restart required"; the client logs in anew.
  conn.streamError(515)
  return { phone: account.phone, lid: account.lid, deviceId, jid: `${account.phone}:${deviceId}@s.whatsapp.net` }
}
