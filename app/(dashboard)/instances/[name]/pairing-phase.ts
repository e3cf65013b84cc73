import type { InstanceLiveState } from '@/lib/services/instances/lifecycle'

/**
 * What the pairing panel shows, read from the live state. The worker words its reasons for people
 * (statusReason); the two that need their own screen are recognised by their wording here.
 */
export type PairingPhase =
  /** Nobody asked for a connection (new, or logged out): offer Connect. */
  | 'idle'
  /** Connect was pressed; waiting for a worker to claim it and for WhatsApp's first QR. */
  | 'starting'
  | 'qr'
  /** All QR refs went by unscanned: the worker stopped; offer a new code, not a dead image. */
  | 'expired'
  /** WhatsApp refused or replaced the session: say why, offer Connect again. */
  | 'stopped'
  /** A paired instance on its way back (restart, takeover): no QR needed. */
  | 'reconnecting'
  /** Network trouble between the worker and WhatsApp; the worker retries by itself. */
  | 'unreachable'

const UNREACHABLE = /could not be reached/i
const EXPIRED = /expired/i
const QUIET_REASONS = new Set(['Logged out.', 'Stopped.', 'Starting…'])

export function pairingPhase(state: InstanceLiveState): PairingPhase {
  const reason = state.statusReason ?? ''
  if (state.desiredState === 'disconnected') {
    if (EXPIRED.test(reason)) return 'expired'
    if (!reason || QUIET_REASONS.has(reason)) return 'idle'
    return 'stopped'
  }
  if (UNREACHABLE.test(reason)) return 'unreachable'
  if (state.qr) return 'qr'
  // Includes an `open` row nobody holds any more (its worker died): it comes back without a QR.
  if (state.phoneNumber) return 'reconnecting'
  return 'starting'
}

/** "15550001111" → "+15550001111" (WhatsApp ids carry no plus sign). */
export function formatPhone(phoneNumber: string | null): string | null {
  return phoneNumber ? `+${phoneNumber.replace(/^\+/, '')}` : null
}
