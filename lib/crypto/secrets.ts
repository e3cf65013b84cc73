import 'server-only'
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { config } from '@/lib/config'

const VERSION = 1
const NONCE_BYTES = 12
const TAG_BYTES = 16

let cachedKey: Buffer | undefined

function encryptionKey(): Buffer {
  if (cachedKey) return cachedKey
  const hex = config().SAGE_ENCRYPTION_KEY
  if (!hex) throw new Error('SAGE_ENCRYPTION_KEY is not set; secrets cannot be encrypted at rest.')
  cachedKey = Buffer.from(hex, 'hex')
  return cachedKey
}

/** AES-256-GCM: version byte | nonce | tag | ciphertext. `context` binds a value to its row. */
export function encryptSecret(plaintext: Buffer | string, context = ''): Buffer {
  const nonce = randomBytes(NONCE_BYTES)
  const cipher = createCipheriv('aes-256-gcm', encryptionKey(), nonce)
  cipher.setAAD(Buffer.from(context))
  const ciphertext = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext) : plaintext), cipher.final()])
  return Buffer.concat([Buffer.from([VERSION]), nonce, cipher.getAuthTag(), ciphertext])
}

export function decryptSecret(sealed: Buffer, context = ''): Buffer {
  if (sealed[0] !== VERSION) throw new Error('Unknown secret format')
  const nonce = sealed.subarray(1, 1 + NONCE_BYTES)
  const tag = sealed.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + TAG_BYTES)
  const decipher = createDecipheriv('aes-256-gcm', encryptionKey(), nonce)
  decipher.setAAD(Buffer.from(context))
  decipher.setAuthTag(tag)
  return Buffer.concat([decipher.update(sealed.subarray(1 + NONCE_BYTES + TAG_BYTES)), decipher.final()])
}
