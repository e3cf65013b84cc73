// Auto-pause: the signals WhatsApp gives a number it is about to restrict, and how much of each stops
// an instance's sending. Pure: the worker watches the signals (workers/messaging/send-health.ts), the
// instance row keeps the pause (lib/store/instances.ts), the docs' "Keeping your number safe" explain it.

export const PAUSE_REASONS = [
  /** An IQ before a send (device list, number check, keys) answered 429 `rate-overlimit`. */
  'rate_overlimit',
  /** WhatsApp acknowledged sends with an error (a nack, e.g. 463 "account restricted"). */
  'sends_refused',
  /** Too many recent sends never reached the recipient's phone (one tick). */
  'undelivered',
  /** Login refused with `<failure reason="402">`: a temporary ban, with its code and seconds left. */
  'temp_banned',
  /** Login refused with `<failure reason="403">`: WhatsApp forbids the number (ban-like). */
  'forbidden',
] as const
export type PauseReason = (typeof PAUSE_REASONS)[number]

// A single 429 `rate-overlimit` pauses: retrying is exactly what WhatsApp is counting.
/** Refused sends (error acks) within REFUSED_WINDOW_MS that pause the instance. */
export const REFUSED_SENDS_PAUSE_AFTER = 3
export const REFUSED_WINDOW_MS = 15 * 60_000
/** Undelivered share: sends of the last day, at least this old, are judged… */
export const UNDELIVERED_GRACE_MS = 60 * 60_000
export const UNDELIVERED_WINDOW_MS = 24 * 60 * 60_000
/** …once there are this many, and pause when at least this share of them is still at one tick. */
export const UNDELIVERED_MIN_SENDS = 20
export const UNDELIVERED_PAUSE_SHARE = 0.5
/** How often the worker recomputes the undelivered share of an instance, at most. */
export const UNDELIVERED_CHECK_EVERY_MS = 60_000

export function pauseMessage(reason: PauseReason, detail?: string): string {
  const base: Record<PauseReason, string> = {
    rate_overlimit: 'WhatsApp answered "rate-overlimit" (429): the number is sending faster than WhatsApp allows.',
    sends_refused: `WhatsApp refused ${REFUSED_SENDS_PAUSE_AFTER} sends within ${REFUSED_WINDOW_MS / 60_000} minutes.`,
    undelivered: `At least ${UNDELIVERED_PAUSE_SHARE * 100}% of the last day's sends never reached the recipient's phone.`,
    temp_banned: 'WhatsApp temporarily banned the number (login refused with 402).',
    forbidden: 'WhatsApp refused the number (login refused with 403), as it does for banned numbers.',
  }
  return `${base[reason]}${detail ? ` ${detail}` : ''} Sending is paused; held messages wait until you resume.`
}

/** A Baileys query error that is WhatsApp's rate limit (`<error code="429" text="rate-overlimit"/>`: assertNodeErrorFree). */
export function isRateOverlimit(error: unknown): boolean {
  const boom = error as { data?: unknown; message?: string; output?: { statusCode?: number } } | undefined
  return boom?.data === 429 || boom?.message === 'rate-overlimit'
}
