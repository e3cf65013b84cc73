import { createHmac } from 'node:crypto'

/** HMAC-SHA256(secret, "{timestamp}.{raw_body}") in hex: exactly what the snippets of /docs#webhook-signatures recompute. */
export function signature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')
}

/**
 * `X-Sage-Signature` always carries the current secret's signature, alone, so the
 * verification snippets of /docs#webhook-signatures work unchanged. For 24 h after a rotation the previous secret signs too, in
 * `X-Sage-Signature-Previous` (same format), so receivers can accept either while they roll over.
 */
export function signatureHeaders(input: { secret: string; previousSecret?: string | null; timestamp: number; body: string }): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Sage-Signature': `sha256=${signature(input.secret, input.timestamp, input.body)}`,
    'X-Sage-Timestamp': String(input.timestamp),
  }
  if (input.previousSecret) headers['X-Sage-Signature-Previous'] = `sha256=${signature(input.previousSecret, input.timestamp, input.body)}`
  return headers
}
