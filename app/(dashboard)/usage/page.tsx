// The account's usage over the last 30 days: API calls by answer (rate-limited ones apart), messages
// sent, received and failed, and webhook deliveries with their success rate. Server-rendered SVG.
import type { Metadata } from 'next'
import { PageHeader } from '@/components/dashboard/shell'
import { UsageChart, type ChartDay } from '@/components/dashboard/usage-chart'
import { requireUser } from '@/lib/auth/session'
import { messagesPerDay } from '@/lib/store/messages'
import { accountUsage } from '@/lib/store/usage'
import { deliveriesPerDay } from '@/lib/store/webhook-deliveries'

export const metadata: Metadata = { title: 'Usage' }
export const dynamic = 'force-dynamic'

const DAYS = 30
const DAY_MS = 86_400_000

/** The last 30 UTC days, oldest first, each with its values (zero when nothing happened). */
function lastDays(now: Date): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  return Array.from({ length: DAYS }, (_, index) => new Date(today - (DAYS - 1 - index) * DAY_MS).toISOString().slice(0, 10))
}

function byDay(days: string[], rows: { day: string; values: Record<string, number> }[]): ChartDay[] {
  const found = new Map<string, Record<string, number>>()
  for (const row of rows) {
    const values = found.get(row.day) ?? {}
    for (const [key, value] of Object.entries(row.values)) values[key] = (values[key] ?? 0) + value
    found.set(row.day, values)
  }
  return days.map((day) => ({ day, values: found.get(day) ?? {} }))
}

const REQUEST_SERIES = [
  { key: 'requests_2xx', label: 'Succeeded', fill: 'fill-brand-500', swatch: 'bg-brand-500' },
  { key: 'requests_4xx', label: 'Refused (4xx)', fill: 'fill-amber-400', swatch: 'bg-amber-400' },
  { key: 'rate_limited', label: 'Rate limited', fill: 'fill-red-500', swatch: 'bg-red-500' },
  { key: 'requests_5xx', label: 'Server errors', fill: 'fill-slate-500', swatch: 'bg-slate-500' },
]
const MESSAGE_SERIES = [
  { key: 'sent', label: 'Sent', fill: 'fill-brand-500', swatch: 'bg-brand-500' },
  { key: 'received', label: 'Received', fill: 'fill-sky-500', swatch: 'bg-sky-500' },
  { key: 'failed', label: 'Failed', fill: 'fill-red-500', swatch: 'bg-red-500' },
]

export default async function UsagePage() {
  const user = await requireUser('/usage')
  const now = new Date()
  const days = lastDays(now)
  const since = new Date(`${days[0]}T00:00:00Z`)
  const [requests, messages, deliveries] = await Promise.all([accountUsage(user.userId, since), messagesPerDay(user.userId, since), deliveriesPerDay(user.userId, since)])
  const delivered = deliveries.reduce((sum, day) => sum + day.succeeded, 0)
  const finished = delivered + deliveries.reduce((sum, day) => sum + day.failed, 0)
  return (
    <>
      <PageHeader title="Usage" description="The last 30 days of your account, by UTC day. API calls are counted per key and per instance; open a key or an instance for its own." />
      <div className="grid grid-cols-1 gap-5">
        <UsageChart
          title="API requests"
          series={REQUEST_SERIES}
          days={byDay(days, requests.map((row) => ({ day: row.hour.toISOString().slice(0, 10), values: { [row.metric]: row.count } })))}
        />
        <UsageChart
          title="Messages"
          series={MESSAGE_SERIES}
          days={byDay(days, messages.map(({ day, ...values }) => ({ day, values })))}
        />
        <UsageChart
          title="Webhook deliveries"
          series={[
            { key: 'succeeded', label: 'Succeeded', fill: 'fill-brand-500', swatch: 'bg-brand-500' },
            { key: 'failed', label: 'Failed', fill: 'fill-red-500', swatch: 'bg-red-500' },
          ]}
          days={byDay(days, deliveries.map(({ day, ...values }) => ({ day, values })))}
          footer={
            <>
              Success rate: <strong data-testid="webhook-success-rate" className="text-slate-900">{finished ? `${((delivered / finished) * 100).toFixed(1)} %` : '—'}</strong>
              {finished > 0 && ` of ${finished.toLocaleString('en')} finished deliveries`}
            </>
          }
        />
      </div>
    </>
  )
}
