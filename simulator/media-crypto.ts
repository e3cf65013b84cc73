// WhatsApp media encryption: HKDF-expanded media key, AES-256-CBC, and a 10-byte truncated HMAC
// appended to the ciphertext; the same as `getMediaKeys` and `encryptedStream` in
// node_modules/@whiskeysockets/baileys/lib/Utils/messages-media.js.
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto'

const INFO: Record<string, string> = {
  image: 'Image', sticker: 'Image', video: 'Video', gif: 'Video', ptv: 'Video',
  audio: 'Audio', ptt: 'Audio', document: 'Document', 'md-msg-hist': 'History', 'md-app-state': 'App State'
}

function keys(mediaKey: Buffer, mediaType: string) {
  const info = `WhatsApp ${INFO[mediaType] ?? 'Document'} Keys`
  const out = Buffer.from(hkdfSync('sha256', mediaKey, Buffer.alloc(0), info, 112))
  return { iv: out.subarray(0, 16), cipherKey: out.subarray(16, 48), macKey: out.subarray(48, 80) }
}

export const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest()

export interface EncryptedMedia {
  blob: Buffer
  mediaKey: Buffer
  fileSha256: Buffer
  fileEncSha256: Buffer
  fileLength: number
}

export function encryptMedia(plain: Buffer, mediaType: string): EncryptedMedia {
  const mediaKey = randomBytes(32)
  const { iv, cipherKey, macKey } = keys(mediaKey, mediaType)
  const c = createCipheriv('aes-256-cbc', cipherKey, iv)
  const enc = Buffer.concat([c.update(plain), c.final()])
  const mac = createHmac('sha256', macKey).update(iv).update(enc).digest().subarray(0, 10)
  const blob = Buffer.concat([enc, mac])
  return { blob, mediaKey, fileSha256: sha256(plain), fileEncSha256: sha256(blob), fileLength: plain.length }
}

export function decryptMedia(blob: Buffer, mediaKey: Buffer, mediaType: string): Buffer {
  const { iv, cipherKey, macKey } = keys(mediaKey, mediaType)
  const enc = blob.subarray(0, blob.length - 10)
  const mac = createHmac('sha256', macKey).update(iv).update(enc).digest().subarray(0, 10)
  if (!mac.equals(blob.subarray(blob.length - 10))) throw new Error('media mac mismatch')
  const d = createDecipheriv('aes-256-cbc', cipherKey, iv)
  return Buffer.concat([d.update(enc), d.final()])
}
