// App-state ("syncd") cryptography, written from the protocol rather than taken from a client, so
// that it checks Baileys instead of agreeing with it by construction. The same scheme as Baileys'
// node_modules/@whiskeysockets/baileys/lib/Utils/chat-utils.js (`mutationKeys`, `generateMac`,
// `generateSnapshotMac`, `generatePatchMac`, `makeLtHashGenerator`) and whatsmeow's appstate package
// (keys.go `expandAppStateKeys`, hash.go, lthash/lthash.go):
// - one 32-byte app-state key, shared by the phone, expands (HKDF-SHA256, "WhatsApp Mutation Keys")
//   into index, value-encryption, value-MAC, snapshot-MAC and patch-MAC keys;
// - a mutation's value is AES-256-CBC(iv ‖ ciphertext) of a `SyncActionData`, followed by its value
//   MAC: HMAC-SHA512(op byte ‖ key id ‖ value ‖ 8-byte length of op+key id), first 32 bytes;
// - its index is HMAC-SHA256 of the JSON index (`["archive","<jid>"]`);
// - a collection's LTHash is 128 bytes, the pointwise uint16 (little-endian, wrapping) sum of each
//   live record's value MAC expanded by HKDF-SHA256 ("WhatsApp Patch Integrity");
// - snapshot MAC: HMAC-SHA256(lthash ‖ version as uint64 BE ‖ name); patch MAC: HMAC-SHA256(snapshot
//   MAC ‖ each value MAC ‖ version ‖ name).
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'

export const SET = 0
export const REMOVE = 1

export interface AppStateKeys {
  index: Buffer
  valueEncryption: Buffer
  valueMac: Buffer
  snapshotMac: Buffer
  patchMac: Buffer
}

export function expandKeys(keyData: Buffer): AppStateKeys {
  const out = Buffer.from(hkdfSync('sha256', keyData, Buffer.alloc(0), 'WhatsApp Mutation Keys', 160))
  return {
    index: out.subarray(0, 32),
    valueEncryption: out.subarray(32, 64),
    valueMac: out.subarray(64, 96),
    snapshotMac: out.subarray(96, 128),
    patchMac: out.subarray(128, 160)
  }
}

const hmac = (algorithm: 'sha256' | 'sha512', key: Buffer, ...parts: Uint8Array[]) => {
  const h = createHmac(algorithm, key)
  for (const part of parts) h.update(part)
  return h.digest()
}

const uint64 = (n: number) => {
  const b = Buffer.alloc(8)
  b.writeBigUInt64BE(BigInt(n))
  return b
}

export function valueMacOf(operation: number, encryptedValue: Uint8Array, keyId: Uint8Array, valueMacKey: Buffer): Buffer {
  const keyData = Buffer.concat([Buffer.from([operation === REMOVE ? 0x02 : 0x01]), keyId])
  const length = Buffer.alloc(8)
  length[7] = keyData.length
  return hmac('sha512', valueMacKey, keyData, encryptedValue, length).subarray(0, 32)
}

export const indexMacOf = (index: Uint8Array, indexKey: Buffer) => hmac('sha256', indexKey, index)

export function encryptValue(plain: Uint8Array, key: Buffer): Buffer {
  const iv = randomBytes(16)
  const cipher = createCipheriv('aes-256-cbc', key, iv)
  return Buffer.concat([iv, cipher.update(plain), cipher.final()])
}

export function decryptValue(value: Uint8Array, key: Buffer): Buffer {
  const buffer = Buffer.from(value)
  const decipher = createDecipheriv('aes-256-cbc', key, buffer.subarray(0, 16))
  return Buffer.concat([decipher.update(buffer.subarray(16)), decipher.final()])
}

function pointwise(base: Buffer, valueMac: Uint8Array, subtract: boolean): void {
  const expanded = Buffer.from(hkdfSync('sha256', valueMac, Buffer.alloc(0), 'WhatsApp Patch Integrity', 128))
  for (let i = 0; i < base.length; i += 2) {
    const x = base.readUInt16LE(i)
    const y = expanded.readUInt16LE(i)
    base.writeUInt16LE((subtract ? x - y + 0x10000 : x + y) & 0xffff, i)
  }
}

/** The LTHash of a set of live value MACs (order does not matter: it is a sum). */
export function ltHash(valueMacs: Iterable<Uint8Array>): Buffer {
  const hash = Buffer.alloc(128)
  for (const mac of valueMacs) pointwise(hash, mac, false)
  return hash
}

export function subtractThenAdd(hash: Buffer, subtract: Uint8Array[], add: Uint8Array[]): Buffer {
  const out = Buffer.from(hash)
  for (const mac of subtract) pointwise(out, mac, true)
  for (const mac of add) pointwise(out, mac, false)
  return out
}

export const snapshotMacOf = (hash: Buffer, version: number, name: string, key: Buffer) => hmac('sha256', key, hash, uint64(version), Buffer.from(name))

export const patchMacOf = (snapshotMac: Uint8Array, valueMacs: Uint8Array[], version: number, name: string, key: Buffer) =>
  hmac('sha256', key, snapshotMac, ...valueMacs, uint64(version), Buffer.from(name))
