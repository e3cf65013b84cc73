// What to do when Baileys closes a socket. Only a real logout ever clears credentials.
import { DisconnectReason } from '@whiskeysockets/baileys'
import type { InstanceStatusCode } from '@/lib/instances/status-codes'

export type DisconnectDecision =
  | { action: 'reconnect-now'; reason: string }
  | { action: 'retry-later'; reason: string }
  | { action: 'logged-out'; reason: string }
  | { action: 'client-outdated'; reason: string }
  /** Ban-like (lib/instances/send-health.ts): sending pauses; a temporary ban is waited out, a 403 stops. */
  | { action: 'banned'; reason: string; pause: 'temp_banned' | 'forbidden'; ban?: { code: string | null; expiresInSeconds: number | null } }
  | { action: 'stop'; reason: string; statusCode: Extract<InstanceStatusCode, 'replaced' | 'refused' | 'qr_expired'> }

/**
 * WhatsApp's login failure for a client version it no longer accepts (`<failure reason="405"/>`;
 * whatsmeow's ConnectFailureClientOutdated, absent from Baileys' DisconnectReason). The session is
 * still valid: only the version must change.
 */
export const CLIENT_OUTDATED = 405

/** whatsmeow's ConnectFailureTempBanned: `<failure reason="402" code="…" expire="seconds"/>`, absent from Baileys' DisconnectReason. */
export const TEMP_BANNED = 402

type BoomLike = { output?: { statusCode?: number }; message?: string; data?: Record<string, unknown> }

export function decideOnClose(error: unknown, options: { registered: boolean }): DisconnectDecision {
  const boom = error as BoomLike | undefined
  const status = boom?.output?.statusCode
  const message = boom?.message ?? 'connection closed'
  switch (status) {
    case DisconnectReason.restartRequired:
      return { action: 'reconnect-now', reason: 'WhatsApp asked for a restart after pairing.' }
    case DisconnectReason.loggedOut:
      return { action: 'logged-out', reason: 'The device was unlinked from the phone (logged out).' }
    case CLIENT_OUTDATED:
      return { action: 'client-outdated', reason: 'WhatsApp refused this client version as outdated.' }
    case DisconnectReason.connectionReplaced:
      return { action: 'stop', statusCode: 'replaced', reason: 'Another connection replaced this session. Reconnect when the other one is closed.' }
    case TEMP_BANNED: {
      const expire = Number(boom?.data?.expire)
      const ban = { code: typeof boom?.data?.code === 'string' ? boom.data.code : null, expiresInSeconds: Number.isFinite(expire) && expire > 0 ? Math.round(expire) : null }
      return { action: 'banned', pause: 'temp_banned', ban, reason: `WhatsApp temporarily banned the number (402${ban.code ? `, code ${ban.code}` : ''}${ban.expiresInSeconds ? `, ${ban.expiresInSeconds} s left` : ''}).` }
    }
    case DisconnectReason.forbidden:
      // whatsmeow logs the ban notice WhatsApp sends with it (logout_message_header); Baileys closes with 403.
      return { action: 'banned', pause: 'forbidden', reason: `WhatsApp refused the number (403: ${message}), as it does for a banned number.` }
    case DisconnectReason.multideviceMismatch:
      return { action: 'stop', statusCode: 'refused', reason: `WhatsApp refused the session (${status}: ${message}).` }
  }
  if (!options.registered && /QR refs attempts ended/i.test(message)) {
    return { action: 'stop', statusCode: 'qr_expired', reason: 'The QR code expired without being scanned. Generate a new code to try again.' }
  }
  // Everything else (lost connection, timeouts, 5xx, network errors) is transient: never log out for it.
  return { action: 'retry-later', reason: `WhatsApp could not be reached (${status ?? 'network'}: ${message}).` }
}

const BACKOFF_STEPS_MS = [1000, 2000, 5000, 10_000, 20_000, 30_000]

export function backoffDelay(attempt: number): number {
  const base = BACKOFF_STEPS_MS[Math.min(attempt, BACKOFF_STEPS_MS.length - 1)]
  return Math.round(base * (0.8 + Math.random() * 0.4))
}
