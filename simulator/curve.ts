// Curve25519 helpers on top of libsignal, the same library Baileys uses, so
// XEdDSA signatures and key formats match the client byte for byte.
import { createHash, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto'
import libsignal from 'libsignal'

interface LibsignalCurve {
  generateKeyPair(): { pubKey: Buffer; privKey: Buffer }
  calculateAgreement(pub: Buffer, priv: Buffer): Buffer
  calculateSignature(priv: Buffer, msg: Buffer): Buffer
  verifySignature(pub: Buffer, msg: Buffer, sig: Buffer, isInit?: boolean): boolean
}

// libsignal's typings omit `curve` and `keyhelper`, which exist at runtime.
export const signalCurve = (libsignal as unknown as { curve: LibsignalCurve }).curve

/** A key pair with the public key in its 32-byte wire form. */
export interface KeyPair {
  public: Buffer
  private: Buffer
}

const PKCS8_X25519_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex')

export function generateKeyPair(): KeyPair {
  const { pubKey, privKey } = signalCurve.generateKeyPair()
  return { public: Buffer.from(pubKey.subarray(1)), private: Buffer.from(privKey) }
}

/** Deterministic key pair: the root key must stay the same across runs so a configured worker keeps trusting it. */
export function keyPairFromSeed(label: string): KeyPair {
  const priv = createHash('sha256').update(label).digest()
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_X25519_PREFIX, priv]), format: 'der', type: 'pkcs8' })
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' })
  return { public: Buffer.from(spki.subarray(spki.length - 32)), private: priv }
}

export const signalPub = (pub32: Uint8Array): Buffer =>
  pub32.length === 33 ? Buffer.from(pub32) : Buffer.concat([Buffer.from([5]), pub32])

export const sharedKey = (priv: Buffer, pub: Uint8Array): Buffer =>
  Buffer.from(signalCurve.calculateAgreement(signalPub(pub), priv))

export const sign = (priv: Buffer, msg: Uint8Array): Buffer =>
  Buffer.from(signalCurve.calculateSignature(priv, Buffer.from(msg)))

/**
 * A real verification. Baileys rc14's Curve.verify (node_modules/@whiskeysockets/baileys/lib/Utils/crypto.js)
 * accepts any 64-byte signature: libsignal 6 returns false instead of throwing, and Baileys only
 * treats a throw as failure. So the simulator never uses it for its own checks.
 */
export function verify(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  try {
    return signalCurve.verifySignature(signalPub(pub), Buffer.from(msg), Buffer.from(sig)) === true
  } catch {
    return false
  }
}

export const randomId = (bytes = 8): string => randomBytes(bytes).toString('hex').toUpperCase()
