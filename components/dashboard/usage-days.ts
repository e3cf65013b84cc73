// The last 30 UTC days as the usage charts draw them, shared by the account's, a key's and an
// instance's usage: the day list, rows folded into days, and the series of each chart.
import type { ChartDay, ChartSeries } from './usage-chart'

export const USAGE_DAYS = 30
const DAY_MS = 86_400_000

/** The last 30 UTC days, oldest first, as `YYYY-MM-DD`. */
export function lastDays(now: Date): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  return Array.from({ length: USAGE_DAYS }, (_, index) => new Date(today - (USAGE_DAYS - 1 - index) * DAY_MS).toISOString().slice(0, 10))
}

/** Midnight UTC of the first day: where the charts' queries start. */
export function firstDayStart(days: string[]): Date {
  return new Date(`${days[0]}T00:00:00Z`)
}

/** Each day with its values summed (zero when nothing happened). */
export function byDay(days: string[], rows: { day: string; values: Record<string, number> }[]): ChartDay[] {
  const found = new Map<string, Record<string, number>>()
  for (const row of rows) {
    const values = found.get(row.day) ?? {}
    for (const [key, value] of Object.entries(row.values)) values[key] = (values[key] ?? 0) + value
    found.set(row.day, values)
  }
  return days.map((day) => ({ day, values: found.get(day) ?? {} }))
}

/** Hourly API-call counts (`lib/store/usage.ts`) folded into days. */
export function requestDays(days: string[], rows: { hour: Date; metric: string; count: number }[]): ChartDay[] {
  return byDay(days, rows.map((row) => ({ day: row.hour.toISOString().slice(0, 10), values: { [row.metric]: row.count } })))
}

/** Daily message counts (`messagesPerDay` in `lib/store/messages/`) as chart days. */
export function messageDays(days: string[], rows: { day: string; sent: number; received: number; failed: number }[]): ChartDay[] {
  return byDay(days, rows.map(({ day, ...values }) => ({ day, values })))
}

export const REQUEST_SERIES: ChartSeries[] = [
  { key: 'requests_2xx', label: 'Succeeded', fill: 'fill-brand-500', swatch: 'bg-brand-500' },
  { key: 'requests_4xx', label: 'Refused (4xx)', fill: 'fill-amber-400', swatch: 'bg-amber-400' },
  { key: 'rate_limited', label: 'Rate limited', fill: 'fill-red-500', swatch: 'bg-red-500' },
  { key: 'requests_5xx', label: 'Server errors', fill: 'fill-slate-500', swatch: 'bg-slate-500' },
]

export const MESSAGE_SERIES: ChartSeries[] = [
  { key: 'sent', label: 'Sent', fill: 'fill-brand-500', swatch: 'bg-brand-500' },
  { key: 'received', label: 'Received', fill: 'fill-sky-500', swatch: 'bg-sky-500' },
  { key: 'failed', label: 'Failed', fill: 'fill-red-500', swatch: 'bg-red-500' },
]
