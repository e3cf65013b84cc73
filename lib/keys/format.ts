import crypto, { randomBytes } from 'node:crypto'
import bs58 from 'bs58'

const KEY_PREFIX = 'sage_'
const RANDOM_BYTES = 24 // 192 bits
const DISPLAY_PREFIX_LENGTH = KEY_PREFIX.length + 8
/** base58 of 24 bytes is 32 or 33 characters; anything else cannot be one of our keys. */
const KEY_PATTERN = /^sage_[1-9A-HJ-NP-Za-km-z]{30,34}$/

export type MintedKey = { plaintext: string; prefix: string; hash: string }

export function mintKey(): MintedKey {
  const plaintext = KEY_PREFIX + bs58.encode(randomBytes(RANDOM_BYTES))
  return { plaintext, prefix: displayPrefix(plaintext), hash: hashKey(plaintext) }
}

/** Every data-plane request hashes its key: the one-shot `crypto.hash` (Node 20.12+) costs a third of a Hash object. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'hex') : (text) => crypto.createHash('sha256').update(text).digest('hex')

export function hashKey(plaintext: string): string {
  return sha256Hex(plaintext)
}

export function displayPrefix(plaintext: string): string {
  return plaintext.slice(0, DISPLAY_PREFIX_LENGTH)
}

/** Rejects malformed keys without touching the database. */
export function looksLikeKey(candidate: string): boolean {
  return KEY_PATTERN.test(candidate)
}

export function bearerToken(authorization: string | null): string | undefined {
  if (!authorization) return undefined
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization)
  return match?.[1]
}
