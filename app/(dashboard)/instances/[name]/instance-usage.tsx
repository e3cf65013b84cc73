// One instance's last 30 days: the API calls made on it, by answer, and its messages sent, received
// and failed (the account's total is on /usage). Server-rendered, like the charts there.
import { UsageChart, type ChartDay } from '@/components/dashboard/usage-chart'
import { MESSAGE_SERIES, REQUEST_SERIES } from '@/components/dashboard/usage-days'

export function InstanceUsage({ requests, messages }: { requests: ChartDay[]; messages: ChartDay[] }) {
  return (
    <section aria-labelledby="instance-usage-heading" className="mt-10">
      <h2 id="instance-usage-heading" className="text-base font-semibold text-slate-900">
        Usage
      </h2>
      <p className="mt-1 text-sm text-slate-600">The last 30 days of this instance, by UTC day.</p>
      <div className="mt-4 grid grid-cols-1 gap-5 xl:grid-cols-2">
        <UsageChart title="API requests" series={REQUEST_SERIES} days={requests} />
        <UsageChart title="Messages" series={MESSAGE_SERIES} days={messages} />
      </div>
    </section>
  )
}
