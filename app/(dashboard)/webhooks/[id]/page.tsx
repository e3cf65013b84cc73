// One webhook endpoint: its settings (edit URL, events, instance filter) and its whole delivery log,
// filtered by status, event and instance, a page at a time; each delivery links to its request and responses.
import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { PageHeader } from '@/components/dashboard/shell'
import { requireUser } from '@/lib/auth/session'
import { DELIVERY_STATUSES } from '@/lib/db/schema/webhooks'
import { EVENT_TYPES } from '@/lib/events/types'
import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENTS } from '@/lib/api/schemas/webhooks'
import { listForAccount } from '@/lib/store/instances'
import { listDeliveries, type Delivery, type DeliveryStatus } from '@/lib/store/webhook-deliveries'
import { findEndpoint } from '@/lib/store/webhook-endpoints'
import { isUuid } from '@/lib/services/webhooks/endpoints'
import { TEST_EVENT } from '@/lib/webhooks/payload'
import { EditEndpoint } from './edit-endpoint'

export const metadata: Metadata = { title: 'Webhook endpoint' }
export const dynamic = 'force-dynamic'

const PAGE_SIZE = 25
const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' })
const STATUS_LOOK: Record<DeliveryStatus, { label: string; badge: string }> = {
  succeeded: { label: 'Succeeded', badge: 'bg-brand-50 text-brand-700 ring-brand-100' },
  pending: { label: 'Retrying', badge: 'bg-amber-50 text-amber-800 ring-amber-200' },
  failed: { label: 'Failed', badge: 'bg-red-50 text-red-700 ring-red-200' },
}

type Filters = { status?: DeliveryStatus; event?: string; instance?: string; before?: string }

function one(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** Only values the filters know: anything else is ignored rather than refused. */
function readFilters(params: Record<string, string | string[] | undefined>, instances: string[]): Filters {
  const status = one(params.status)
  const event = one(params.event)
  const instance = one(params.instance)
  const before = one(params.before)
  return {
    status: DELIVERY_STATUSES.find((known) => known === status),
    event: event && ([...EVENT_TYPES, TEST_EVENT] as string[]).includes(event) ? event : undefined,
    instance: instance && instances.includes(instance) ? instance : undefined,
    before: before && /^\d{1,18}$/.test(before) ? before : undefined,
  }
}

function query(filters: Filters): string {
  const params = new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => Boolean(entry[1])))
  const text = params.toString()
  return text ? `?${text}` : ''
}

function Outcome({ delivery }: { delivery: Delivery }) {
  const last = delivery.lastAttempt
  if (!last) return <span className="text-slate-500">Not tried yet</span>
  return (
    <span className="text-slate-700">
      {last.statusCode ? `HTTP ${last.statusCode}` : (last.error ?? 'No response')}
      {last.latencyMs !== null && <span className="text-slate-500"> · {last.latencyMs} ms</span>}
    </span>
  )
}

const select = 'rounded-lg border border-slate-300 bg-white px-2.5 py-2 text-sm text-slate-900 shadow-xs focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/20'

export default async function EndpointPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params
  const user = await requireUser(`/webhooks/${id}`)
  if (!isUuid(id)) notFound()
  const [endpoint, instanceRows] = await Promise.all([findEndpoint(user.userId, id), listForAccount(user.userId)])
  if (!endpoint) notFound()
  const instances = instanceRows.map((instance) => instance.name)
  const filters = readFilters(await searchParams, instances)
  const page = await listDeliveries(user.userId, id, { limit: PAGE_SIZE, ...filters })
  const filtered = Boolean(filters.status || filters.event || filters.instance)

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/webhooks" className="font-medium text-brand-700 hover:text-brand-900">
          ← Webhooks
        </Link>
      </p>
      <PageHeader title="Webhook endpoint" description={endpoint.url} />

      <section aria-labelledby="endpoint-settings" className="mb-8 rounded-xl bg-white p-5 shadow-xs ring-1 ring-slate-200 sm:p-6">
        <h2 id="endpoint-settings" className="mb-4 text-base font-semibold text-slate-900">
          Settings
        </h2>
        <EditEndpoint
          endpointId={endpoint.id}
          initial={{ url: endpoint.url, events: endpoint.events, instance: endpoint.instanceName ?? '' }}
          events={WEBHOOK_EVENTS.map((name) => ({ name, description: WEBHOOK_EVENT_DESCRIPTIONS[name] }))}
          instances={instances}
        />
      </section>

      <section aria-labelledby="deliveries" className="rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
        <div className="border-b border-slate-200 px-5 py-4 sm:px-6">
          <h2 id="deliveries" className="text-base font-semibold text-slate-900">
            Deliveries
          </h2>
          <form method="get" className="mt-3 flex flex-wrap items-end gap-3" aria-label="Filter deliveries">
            <FilterSelect label="Status" name="status" value={filters.status} anyLabel="Any status" options={DELIVERY_STATUSES.map((status) => ({ value: status, label: STATUS_LOOK[status].label }))} />
            <FilterSelect label="Event" name="event" value={filters.event} anyLabel="Any event" options={[...EVENT_TYPES, TEST_EVENT].map((event) => ({ value: event, label: event }))} />
            <FilterSelect label="Instance" name="instance" value={filters.instance} anyLabel="Any instance" options={instances.map((name) => ({ value: name, label: name }))} />
            <button type="submit" className="rounded-lg bg-slate-900 px-3 py-2 text-sm font-semibold text-white hover:bg-slate-700 dark:bg-slate-200 dark:text-slate-900">
              Filter
            </button>
            {filtered && (
              <Link href={`/webhooks/${id}`} className="py-2 text-sm font-medium text-brand-700 hover:text-brand-900">
                Clear
              </Link>
            )}
          </form>
        </div>
        {page.deliveries.length === 0 ? (
          <p className="px-5 py-8 text-center text-sm text-slate-500 sm:px-6">{filtered ? 'No delivery matches these filters.' : 'No deliveries yet.'}</p>
        ) : (
          <ul aria-label="Deliveries" className="divide-y divide-slate-200">
            {page.deliveries.map((delivery) => (
              <li key={delivery.id} data-testid="delivery" data-status={delivery.status} className="relative flex flex-wrap items-center gap-x-3 gap-y-1 px-5 py-3 hover:bg-slate-50 sm:px-6">
                <Link
                  href={`/webhooks/${id}/deliveries/${delivery.id}`}
                  className="font-mono text-[12px] font-semibold text-slate-900 before:absolute before:inset-0 hover:text-brand-700"
                >
                  {delivery.event}
                </Link>
                <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${STATUS_LOOK[delivery.status].badge}`}>{STATUS_LOOK[delivery.status].label}</span>
                <span className="font-mono text-xs text-slate-600">{delivery.instance}</span>
                <span className="text-xs">
                  <Outcome delivery={delivery} />
                </span>
                <span className="text-xs text-slate-500">
                  {delivery.attempts} {delivery.attempts === 1 ? 'attempt' : 'attempts'}
                </span>
                <time dateTime={delivery.createdAt.toISOString()} className="ml-auto text-xs text-slate-500">
                  {dateTime.format(delivery.createdAt)} UTC
                </time>
              </li>
            ))}
          </ul>
        )}
        {(filters.before || page.nextCursor) && (
          <nav aria-label="Pages" className="flex justify-between border-t border-slate-200 px-5 py-3 text-sm sm:px-6">
            {filters.before ? (
              <Link href={`/webhooks/${id}${query({ ...filters, before: undefined })}`} className="font-medium text-brand-700 hover:text-brand-900">
                ← Newest
              </Link>
            ) : (
              <span />
            )}
            {page.nextCursor && (
              <Link href={`/webhooks/${id}${query({ ...filters, before: page.nextCursor })}`} className="font-medium text-brand-700 hover:text-brand-900">
                Older →
              </Link>
            )}
          </nav>
        )}
      </section>
    </>
  )
}

function FilterSelect({ label, name, value, anyLabel, options }: { label: string; name: string; value: string | undefined | null; anyLabel: string; options: { value: string; label: string }[] }) {
  return (
    // Labelled by id, not by wrapping: a wrapping label's name would take in every option's text
    // (an "INSTANCE_HEALTH" event option made the Event select answer to "Instance" too).
    <div className="flex flex-col gap-1 text-xs font-medium text-slate-600">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name} defaultValue={value ?? ''} className={select}>
        <option value="">{anyLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  )
}
