/**
 * Why an instance is in its state, as a value code can branch on. The worker writes it with every
 * change (`lib/store/instances.ts`); the dashboard and the API switch on it. `statusReason` beside
 * it is for people only and may be reworded freely.
 */
export const INSTANCE_STATUS_CODES = [
  /** Never connected, or disconnected on purpose with nothing to report. */
  'idle',
  /** Connect was asked for: waiting for a worker and WhatsApp's first QR. */
  'starting',
  /** A paired instance coming back with its stored session (restart, takeover). */
  'reconnecting',
  /** A QR code is on offer. */
  'qr',
  /** A pairing code is on offer. */
  'pairing_code',
  'open',
  /** WhatsApp could not be reached; the worker retries by itself. */
  'unreachable',
  /** Every QR went by unscanned: stopped until someone asks for a new code. */
  'qr_expired',
  /** Another connection replaced this session (stopped). */
  'replaced',
  /** WhatsApp refused the session (stopped). */
  'refused',
  /** Unlinked, from the phone or through the API. */
  'logged_out',
  /** Closed on purpose without logging out. */
  'stopped',
  /** The instance's proxy refused or could not be reached; the worker retries by itself. */
  'proxy_failed',
  /**
   * WhatsApp refused the client's version as outdated (login failure 405); the session is kept and
   * the worker retries with backoff, re-reading the version source, until a newer version is let in.
   */
  'client_outdated',
  /**
   * Connected, but sending is paused because WhatsApp signalled trouble (`send_pause_reason` says
   * which, lib/instances/send-health.ts); held sends wait for a resume.
   */
  'send_paused',
  /** WhatsApp refused the login as it does for a banned number (402 temporary ban, 403): stopped, sending paused. */
  'banned',
] as const

export type InstanceStatusCode = (typeof INSTANCE_STATUS_CODES)[number]

export const INSTANCE_STATES = ['close', 'connecting', 'open'] as const
export type InstanceState = (typeof INSTANCE_STATES)[number]

/** The connection state the API reports for each status code: one follows from the other. */
export function stateOf(code: InstanceStatusCode): InstanceState {
  switch (code) {
    case 'open':
    case 'send_paused':
      return 'open'
    case 'starting':
    case 'reconnecting':
    case 'qr':
    case 'pairing_code':
    case 'unreachable':
    case 'proxy_failed':
    case 'client_outdated':
      return 'connecting'
    default:
      return 'close'
  }
}

/**
 * The state to show for a live read of an instance: the row says `open` until a worker writes
 * otherwise, so an open row no live worker holds is reconnecting. The account's list and detail reads
 * apply the same rule in SQL (`shownState` in lib/store/instances.ts).
 */
export function shownStateOf(live: { state: InstanceState; held: boolean }): InstanceState {
  return live.state === 'open' && !live.held ? 'connecting' : live.state
}
