import { describe, expect, it } from 'vitest'
import { dayOf, newChatCap, quietHoursEnd, typingMs, DEFAULT_POLICY, POLICY_OFF } from './send-policy'

const at = (iso: string) => Date.parse(iso)

describe('the send policy’s calendar', () => {
  it('finds the local day, also across a UTC date line and a DST change', () => {
    expect(dayOf(at('2026-03-10T20:00:00Z'), 'Asia/Kolkata')).toEqual({ start: at('2026-03-10T18:30:00Z'), end: at('2026-03-11T18:30:00Z') })
    expect(dayOf(at('2026-03-10T20:00:00Z'), 'UTC')).toEqual({ start: at('2026-03-10T00:00:00Z'), end: at('2026-03-11T00:00:00Z') })
    // New York moves to daylight time on 2026-03-08: that day has 23 hours.
    const { start, end } = dayOf(at('2026-03-08T12:00:00Z'), 'America/New_York')
    expect(new Date(start).toISOString()).toBe('2026-03-08T05:00:00.000Z')
    expect(new Date(end).toISOString()).toBe('2026-03-09T04:00:00.000Z')
  })

  it('ends quiet hours at `to`, the same day or the next morning when they wrap midnight', () => {
    const night = { from: '22:00', to: '08:00' }
    expect(quietHoursEnd(at('2026-03-10T23:30:00Z'), night, 'UTC')).toBe(at('2026-03-11T08:00:00Z'))
    expect(quietHoursEnd(at('2026-03-11T03:00:00Z'), night, 'UTC')).toBe(at('2026-03-11T08:00:00Z'))
    expect(quietHoursEnd(at('2026-03-11T12:00:00Z'), night, 'UTC')).toBeUndefined()
    // 23:00 in Kolkata is 17:30 UTC; quiet until 08:00 there, 02:30 UTC.
    expect(quietHoursEnd(at('2026-03-10T17:30:00Z'), night, 'Asia/Kolkata')).toBe(at('2026-03-11T02:30:00Z'))
    const lunch = { from: '12:00', to: '13:30' }
    expect(quietHoursEnd(at('2026-03-11T12:15:00Z'), lunch, 'UTC')).toBe(at('2026-03-11T13:30:00Z'))
    expect(quietHoursEnd(at('2026-03-11T13:30:00Z'), lunch, 'UTC')).toBeUndefined()
  })

  it('warms a new number up day by day, never above the cap', () => {
    const policy = { ...DEFAULT_POLICY, warmUp: true, newChatsPerDay: 20 }
    expect([0, 1, 2, 3, 4, 5].map((day) => newChatCap(policy, day))).toEqual([5, 10, 20, 20, 20, 20])
    expect([0, 4, 5].map((day) => newChatCap({ ...policy, newChatsPerDay: null }, day))).toEqual([5, 80, Infinity])
    expect(newChatCap({ ...policy, warmUp: false }, 0)).toBe(20)
  })

  it('types in proportion to the text, within bounds, and not at all by default', () => {
    expect(typingMs(POLICY_OFF, 'hello')).toBe(0)
    expect(typingMs({ ...DEFAULT_POLICY, typingMsPerChar: 40 }, 'hello')).toBe(200)
    expect(typingMs({ ...DEFAULT_POLICY, typingMsPerChar: 40 }, 'x'.repeat(5_000))).toBe(10_000)
  })
})
