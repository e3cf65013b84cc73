// Times a sender states inside an end-to-end encrypted message (an edit's timestampMs, a poll vote's
// senderTimestampMs). WhatsApp cannot check them, so a modified client can put any int64 there.

/** The latest time a JavaScript Date holds (Postgres' timestamptz reaches further). */
const LATEST_MS = 8.64e15

/**
 * The sender's stated time when it is one a Date and the database can hold (from 1970 to the year
 * 275760); otherwise the envelope's time (the server's, in seconds), or now. An impossible time would
 * otherwise fail the message's write on every retry and close the session.
 */
export function senderTimeOf(statedMs: unknown, envelopeSeconds: unknown): Date {
  const stated = statedMs === null || statedMs === undefined ? NaN : Number(statedMs)
  if (Number.isFinite(stated) && stated > 0 && stated <= LATEST_MS) return new Date(stated)
  const envelope = Number(envelopeSeconds ?? 0) * 1000
  return Number.isFinite(envelope) && envelope > 0 && envelope <= LATEST_MS ? new Date(envelope) : new Date()
}
