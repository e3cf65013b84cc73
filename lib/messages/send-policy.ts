// An instance's send policy: how fast and when it may send, so a number does not look like a spam
// bot to WhatsApp. Pure: the worker's outbox (workers/messaging/pacing.ts) applies it, the settings
// endpoints store it (lib/store/instance-settings.ts), the docs' "Keeping your number safe" explain it.

export type QuietHours = { from: string; to: string }

export type SendPolicy = {
  /** Least time between two sends of the instance, ms. */
  minGapMs: number
  /** A random 0…jitterMs is added to every gap, so the rhythm is not machine-regular. */
  jitterMs: number
  /** "typing…" shown before a text for this many ms per character (capped at MAX_TYPING_MS); 0: off. */
  typingMsPerChar: number
  /** New chats (first messages to people who never wrote to this number) per day; null: no cap. */
  newChatsPerDay: number | null
  /** A newly used number starts low: WARM_UP_CAPS new chats on its first days (below newChatsPerDay). */
  warmUp: boolean
  /** No sends between `from` and `to` (HH:MM, in timeZone; may wrap midnight); null: none. */
  quietHours: QuietHours | null
  /** IANA time zone of the days the cap counts and of the quiet hours. */
  timeZone: string
}

/**
 * On by default (issue 19: a gateway people trust with their business number): a 3–5 s gap, "typing…",
 * 20 new chats a day with the warm-up curve for a number new to sending. Quiet hours stay off until
 * the owner gives them with a time zone: in UTC they would silence most of the world's afternoons.
 * The docs guide "Keeping your number safe" lists these.
 */
export const DEFAULT_POLICY: SendPolicy = {
  minGapMs: 3_000,
  jitterMs: 2_000,
  typingMsPerChar: 40,
  newChatsPerDay: 20,
  warmUp: true,
  quietHours: null,
  timeZone: 'UTC',
}

/** Every protection off: what an owner sets to send as fast as WhatsApp takes it (at their own risk). */
export const POLICY_OFF: SendPolicy = { minGapMs: 0, jitterMs: 0, typingMsPerChar: 0, newChatsPerDay: null, warmUp: false, quietHours: null, timeZone: 'UTC' }

/** The defaults plus quiet hours at night: the guide's suggestion once the time zone is known. */
export const RECOMMENDED_POLICY: SendPolicy = { ...DEFAULT_POLICY, quietHours: { from: '22:00', to: '08:00' } }

export const MAX_TYPING_MS = 10_000

/** The warm-up curve: new chats allowed on a number's first days of sending through us (day 0, 1, …); then newChatsPerDay. */
export const WARM_UP_CAPS = [5, 10, 20, 40, 80]

/** The new-chat cap of the `dayIndex`-th day since the number first sent through us; Infinity: none. */
export function newChatCap(policy: SendPolicy, dayIndex: number): number {
  const cap = policy.newChatsPerDay ?? Infinity
  if (!policy.warmUp || dayIndex >= WARM_UP_CAPS.length) return cap
  return Math.min(cap, WARM_UP_CAPS[Math.max(0, dayIndex)])
}

export function policyOf(stored: unknown): SendPolicy {
  return { ...DEFAULT_POLICY, ...((stored as Partial<SendPolicy> | null) ?? {}) }
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value })
    return true
  } catch {
    return false
  }
}

/** The wall clock in `timeZone` at `at`, as if it were UTC (ms). */
function wallClock(at: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(at)
      .map((part) => [part.type, Number(part.value)]),
  )
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) + (at % 1000)
}

/** The instant at which the wall clock in `timeZone` reads `wall` (ms, as if UTC); DST gaps resolve forward. */
function instantOf(wall: number, timeZone: string): number {
  let guess = wall
  for (let i = 0; i < 3; i++) guess = wall - (wallClock(guess, timeZone) - guess)
  return guess
}

const DAY_MS = 86_400_000

/** The local day [start, end) that `at` falls in, in `timeZone`. */
export function dayOf(at: number, timeZone: string): { start: number; end: number } {
  const wall = wallClock(at, timeZone)
  const midnight = wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS)
  return { start: instantOf(midnight, timeZone), end: instantOf(midnight + DAY_MS, timeZone) }
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

/** When quiet hours covering `at` end (ms), or undefined when `at` is outside them. */
export function quietHoursEnd(at: number, quiet: QuietHours, timeZone: string): number | undefined {
  const wall = wallClock(at, timeZone)
  const minute = Math.floor((((wall % DAY_MS) + DAY_MS) % DAY_MS) / 60_000)
  const from = minutesOf(quiet.from)
  const to = minutesOf(quiet.to)
  const inside = from <= to ? minute >= from && minute < to : minute >= from || minute < to
  if (!inside) return undefined
  const midnight = wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS)
  const endWall = midnight + to * 60_000 + (minute >= to ? DAY_MS : 0)
  return instantOf(endWall, timeZone)
}

/** "typing…" before a text under this policy, ms. */
export function typingMs(policy: SendPolicy, text: string | undefined): number {
  if (!policy.typingMsPerChar || !text) return 0
  return Math.min(MAX_TYPING_MS, policy.typingMsPerChar * text.length)
}
