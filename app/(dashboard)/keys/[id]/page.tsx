// One API key's last 30 days: the calls made with it, by answer (rate-limited ones apart), beside
// what the key is. The list and its edits stay on /keys.
import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { UsageChart } from '@/components/dashboard/usage-chart'
import { firstDayStart, lastDays, REQUEST_SERIES, requestDays } from '@/components/dashboard/usage-days'
import { ApiError } from '@/lib/api/errors'
import type { ApiKeySummary } from '@/lib/api/schemas/keys'
import { requireUser } from '@/lib/auth/session'
import { getApiKey } from '@/lib/services/keys/keys'
import { usageOf } from '@/lib/store/usage'

export const dynamic = 'force-dynamic'

type Props = { params: Promise<{ id: string }> }

const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })

async function keyOf(user: { userId: string }, id: string): Promise<ApiKeySummary> {
  return getApiKey(user, id).catch((error) => {
    if (error instanceof ApiError && error.code === 'not_found') notFound()
    throw error
  })
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params
  const user = await requireUser(`/keys/${encodeURIComponent(id)}`)
  return { title: (await keyOf(user, id)).name }
}

export default async function KeyPage({ params }: Props) {
  const { id } = await params
  const user = await requireUser(`/keys/${encodeURIComponent(id)}`)
  const key = await keyOf(user, id)
  const days = lastDays(new Date())
  const requests = await usageOf(user.userId, { kind: 'key', id: key.id }, firstDayStart(days))
  const facts: [string, React.ReactNode][] = [
    ['Prefix', <code key="prefix" className="font-mono text-[13px]">{key.prefix}…</code>],
    ['Scope', key.scope === 'account' ? 'Account key' : key.instances.length ? `Instances: ${key.instances.join(', ')}` : 'Every instance'],
    ['Rate limit', `${key.rateLimit.toLocaleString('en')} requests a minute`],
    ['Last used', key.lastUsedAt ? `${dateFormat.format(new Date(key.lastUsedAt))} UTC` : 'Never'],
  ]
  if (key.revokedAt) facts.push(['Revoked', `${dateFormat.format(new Date(key.revokedAt))} UTC`])
  return (
    <>
      <div className="mb-8">
        <nav aria-label="Breadcrumb" className="mb-3 text-sm">
          <Link href="/keys" className="text-slate-500 hover:text-slate-800">
            API keys
          </Link>
          <span aria-hidden className="mx-2 text-slate-300">
            /
          </span>
          <span aria-current="page" className="text-slate-700">
            {key.name}
          </span>
        </nav>
        <h1 className="break-words text-2xl font-semibold tracking-tight text-slate-900">{key.name}</h1>
        <dl className="mt-3 grid grid-cols-1 gap-x-8 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-4">
          {facts.map(([label, value]) => (
            <div key={label} className="min-w-0">
              <dt className="text-slate-500">{label}</dt>
              <dd className="break-words text-slate-800">{value}</dd>
            </div>
          ))}
        </dl>
      </div>
      <UsageChart title="API requests, last 30 days (UTC)" series={REQUEST_SERIES} days={requestDays(days, requests)} />
    </>
  )
}
