// A time the sender states is used only when a Date and the database can hold it.
import { describe, expect, it } from 'vitest'
import { senderTimeOf } from './sender-time'

describe('senderTimeOf', () => {
  it('takes the stated time (ms) when it is a possible one', () => {
    expect(senderTimeOf(1_900_000_000_123, 1_800_000_000)).toEqual(new Date(1_900_000_000_123))
    expect(senderTimeOf('1900000000123', 1_800_000_000)).toEqual(new Date(1_900_000_000_123))
  })

  it('falls back to the envelope’s time (seconds) for an absent, zero, negative or impossible one', () => {
    for (const stated of [undefined, null, 0, -5, '9000000000000000000', 8.64e15 + 1, 'x']) {
      expect(senderTimeOf(stated, 1_800_000_000), String(stated)).toEqual(new Date(1_800_000_000_000))
    }
  })

  it('falls back to now when the envelope has no usable time either', () => {
    const before = Date.now()
    const time = senderTimeOf('9000000000000000000', undefined).getTime()
    expect(time).toBeGreaterThanOrEqual(before)
    expect(time).toBeLessThanOrEqual(Date.now())
  })
})
