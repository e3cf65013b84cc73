// How the Inbox writes times: the clock for today, the weekday within a week, else the date.
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short' })
const date = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: '2-digit' })
const longDay = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })

const startOfDay = (at: Date) => new Date(at.getFullYear(), at.getMonth(), at.getDate()).getTime()

export function clockTime(seconds: number): string {
  return clock.format(new Date(seconds * 1000))
}

/** The chat list's time of a chat's newest message. */
export function listTime(seconds: number, now = new Date()): string {
  const at = new Date(seconds * 1000)
  const days = Math.round((startOfDay(now) - startOfDay(at)) / 86_400_000)
  if (days <= 0) return clock.format(at)
  if (days === 1) return 'Yesterday'
  if (days < 7) return weekday.format(at)
  return date.format(at)
}

/** The conversation's day separator. */
export function dayLabel(seconds: number, now = new Date()): string {
  const at = new Date(seconds * 1000)
  const days = Math.round((startOfDay(now) - startOfDay(at)) / 86_400_000)
  if (days <= 0) return 'Today'
  if (days === 1) return 'Yesterday'
  return longDay.format(at)
}

export function dayKey(seconds: number): number {
  return startOfDay(new Date(seconds * 1000))
}
