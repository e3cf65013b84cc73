// A history chat's muteEndTime as Baileys hands it over: decoded by its own proto, so a Long.
import { describe, expect, it } from 'vitest'
import { proto } from '@whiskeysockets/baileys'
import { MUTED_FOREVER, mutedUntilOf, mutedUntilOfAction } from './mute-end'

/** The muteEndTime of a Conversation that went through WhatsApp's encoding and Baileys' decoding. */
function decoded(muteEndTime: number | string | undefined): unknown {
  const bytes = proto.HistorySync.encode({ syncType: proto.HistorySync.HistorySyncType.RECENT, conversations: [{ id: 'a@s.whatsapp.net', muteEndTime: muteEndTime as number }] }).finish()
  return proto.HistorySync.decode(bytes).conversations[0].muteEndTime
}

describe('mutedUntilOf', () => {
  it('reads all 64 bits set as muted with no end', () => {
    expect(mutedUntilOf(decoded('18446744073709551615'))).toEqual(MUTED_FOREVER)
    // Any value that is negative as an int64 means the same.
    expect(mutedUntilOf(decoded('18446744073709551614'))).toEqual(MUTED_FOREVER)
  })

  it('reads an end in seconds, and one in milliseconds', () => {
    expect(mutedUntilOf(decoded(1_900_000_000))).toEqual(new Date(1_900_000_000_000))
    expect(mutedUntilOf(decoded(1_900_000_000_123))).toEqual(new Date(1_900_000_000_123))
  })

  it('reads absent or 0 as not muted', () => {
    expect(mutedUntilOf(decoded(undefined))).toBeNull()
    expect(mutedUntilOf(decoded(0))).toBeNull()
    expect(mutedUntilOf(undefined)).toBeNull()
    expect(mutedUntilOf(null)).toBeNull()
  })

  it('keeps an end past the year 9999 as no end, never an invalid date', () => {
    expect(mutedUntilOf(decoded('9000000000000000000'))).toEqual(MUTED_FOREVER)
    expect(mutedUntilOf(decoded(300_000_000_000_000))).toEqual(MUTED_FOREVER)
    expect(mutedUntilOf('not a number')).toBeNull()
  })
})

describe('mutedUntilOfAction', () => {
  it('reads the app-state mute: ms, -1 for no end, null for unmuted, and never an invalid date', () => {
    expect(mutedUntilOfAction(1_900_000_000_123)).toEqual(new Date(1_900_000_000_123))
    expect(mutedUntilOfAction(-1)).toEqual(MUTED_FOREVER)
    expect(mutedUntilOfAction(0)).toEqual(MUTED_FOREVER)
    expect(mutedUntilOfAction(null)).toBeNull()
    expect(mutedUntilOfAction(9e18)).toEqual(MUTED_FOREVER)
  })
})
