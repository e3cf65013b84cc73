// When a chat's mute ends, as WhatsApp says it in its two places: the app-state mute action
// (muteEndTimestamp, ms, -1 for no end) and a history chat's Conversation.muteEndTime (uint64).

/** How the chats table keeps "muted with no end" (WhatsApp's muteEndTimestamp -1). */
export const MUTED_FOREVER = new Date('9999-12-31T23:59:59.000Z')

/**
 * An app-state mute action's muteEndTimestamp (ms; -1, or any negative, for no end; null: unmuted).
 * A mute with no timestamp at all (Baileys reads it as 0) has no end too: whatsmeow's BuildMute wrote
 * "muted forever" that way before it wrote -1. An end past what the chats table keeps as "no end" is
 * "no end", never an invalid date.
 */
export function mutedUntilOfAction(muteEndTimestamp: number | null): Date | null {
  if (muteEndTimestamp === null || Number.isNaN(muteEndTimestamp)) return null
  return muteEndTimestamp <= 0 ? MUTED_FOREVER : endAt(muteEndTimestamp)
}

/** A mute end (ms) as the chats table keeps it: one past its "no end" is "no end", never an invalid date. */
function endAt(ms: number): Date {
  return ms >= MUTED_FOREVER.getTime() ? MUTED_FOREVER : new Date(ms)
}

/** 2^63: a uint64 at or past it is a negative int64, the -1 ("no end") of the app-state mute read unsigned. */
const INT64_NEGATIVE = 2n ** 63n

/**
 * A history chat's Conversation.muteEndTime (uint64, a Long from Baileys): absent or 0, not muted;
 * all bits set (-1 read unsigned), muted with no end; otherwise the end in seconds, or in
 * milliseconds when it is too large to be seconds (clients built on whatsmeow read both). An end
 * past what the chats table keeps as "no end" is "no end".
 */
export function mutedUntilOf(muteEndTime: unknown): Date | null {
  if (muteEndTime === null || muteEndTime === undefined) return null
  let end: bigint
  try {
    end = BigInt(String(muteEndTime))
  } catch {
    return null
  }
  if (end <= 0n) return null
  if (end >= INT64_NEGATIVE) return MUTED_FOREVER
  const value = Number(end)
  return endAt(value > 1e11 ? value : value * 1000)
}
