import type { InstanceLiveState } from '@/lib/services/instances/lifecycle'

/**
 * What the pairing panel shows, decided from the live state's `statusCode` and data only: the
 * worker's `statusReason` is words for people and may be reworded without touching this.
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
  /** Network trouble between the worker and WhatsApp (or the instance's proxy); the worker retries by itself. */
  | 'unreachable'
  /** WhatsApp refused the client's version as outdated; the worker looks for a newer one and retries by itself, session kept. */
  | 'outdated'

export function pairingPhase(state: Pick<InstanceLiveState, 'desiredState' | 'statusCode' | 'qr' | 'phoneNumber'>): PairingPhase {
  if (state.desiredState === 'disconnected') {
    switch (state.statusCode) {
      case 'qr_expired':
        return 'expired'
      case 'replaced':
      case 'refused':
        return 'stopped'
      default:
        return 'idle'
    }
  }
  // A failing proxy is the same trouble seen from the page (its status reason names the proxy).
  if (state.statusCode === 'unreachable' || state.statusCode === 'proxy_failed') return 'unreachable'
  if (state.statusCode === 'client_outdated') return 'outdated'
  if (state.qr) return 'qr'
  // Includes an `open` row nobody holds any more (its worker died): it comes back without a QR.
  if (state.phoneNumber) return 'reconnecting'
  return 'starting'
}

/** "15550001111" → "+15550001111" (WhatsApp ids carry no plus sign). */
export function formatPhone(phoneNumber: string | null): string | null {
  return phoneNumber ? `+${phoneNumber.replace(/^\+/, '')}` : null
}
