import 'server-only'
import { randomBytes } from 'node:crypto'
import { decryptSecret, encryptSecret } from '@/lib/crypto/secrets'

/**
 * Signing secrets are `whsec_` + 32 random bytes in base64url. Receivers use the whole string as
 * the HMAC key (the snippets of /docs#webhook-signatures do `createHmac('sha256', secret)` / `secret.encode()`).
 * At rest they are sealed with SAGE_ENCRYPTION_KEY, bound to their endpoint's id.
 */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`
}

const context = (endpointId: string) => `webhook_endpoint:${endpointId}`

export function sealSigningSecret(endpointId: string, secret: string): Buffer {
  return encryptSecret(secret, context(endpointId))
}

export function openSigningSecret(endpointId: string, sealed: Buffer): string {
  return decryptSecret(sealed, context(endpointId)).toString('utf8')
}
