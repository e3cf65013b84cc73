// The account's usage over the last 30 days: API calls by answer (rate-limited ones apart), messages
// sent, received and failed, and webhook deliveries with their success rate. Server-rendered SVG.
import type { Metadata } from 'next'
import { PageHeader } from '@/components/dashboard/shell'
import { UsageChart } from '@/components/dashboard/usage-chart'
import { byDay, firstDayStart, lastDays, MESSAGE_SERIES, messageDays, REQUEST_SERIES, requestDays } from '@/components/dashboard/usage-days'
import { requireUser } from '@/lib/auth/session'
import { messagesPerDay } from '@/lib/store/messages'
import { accountUsage } from '@/lib/store/usage'
import { deliveriesPerDay } from '@/lib/store/webhook-deliveries'

export const metadata: Metadata = { title: 'Usage' }
export const dynamic = 'force-dynamic'

export default async function UsagePage() {
  const user = await requireUser('/usage')
  const now = new Date()
  const days = lastDays(now)
  const since = firstDayStart(days)
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
          days={requestDays(days, requests)}
        />
        <UsageChart
          title="Messages"
          series={MESSAGE_SERIES}
          days={messageDays(days, messages)}
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
