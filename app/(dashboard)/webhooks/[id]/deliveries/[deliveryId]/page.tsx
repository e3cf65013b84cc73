// One delivery: the request exactly as sent (method, URL, headers with the signature, the raw body)
// and every attempt's answer (status, the first 2 KB of the body, timing).
import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound } from 'next/navigation'
import { PageHeader } from '@/components/dashboard/shell'
import { CodeBlock } from '@/components/ui/code-block'
import { requireUser } from '@/lib/auth/session'
import { isUuid } from '@/lib/services/webhooks/endpoints'
import { findDeliveryWithLog, type Attempt } from '@/lib/store/webhook-deliveries'
import { findEndpoint } from '@/lib/store/webhook-endpoints'
import { payloadBody } from '@/lib/webhooks/payload'

export const metadata: Metadata = { title: 'Webhook delivery' }
export const dynamic = 'force-dynamic'

const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' })

function headerText(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n')
}

function AttemptCard({ attempt, number, url, body }: { attempt: Attempt; number: number; url: string; body: string }) {
  const ok = attempt.statusCode !== null && attempt.statusCode >= 200 && attempt.statusCode < 300
  return (
    <li data-testid="attempt" className="rounded-xl bg-white p-5 shadow-xs ring-1 ring-slate-200 sm:p-6">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h3 className="text-sm font-semibold text-slate-900">Attempt {number}</h3>
        <span
          data-testid="attempt-status"
          className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${ok ? 'bg-brand-50 text-brand-700 ring-brand-100' : 'bg-red-50 text-red-700 ring-red-200'}`}
        >
          {attempt.statusCode ? `HTTP ${attempt.statusCode}` : 'No response'}
        </span>
        {attempt.latencyMs !== null && <span className="text-xs text-slate-600">{attempt.latencyMs} ms</span>}
        <time dateTime={attempt.attemptedAt.toISOString()} className="text-xs text-slate-500">
          {dateTime.format(attempt.attemptedAt)} UTC
        </time>
      </div>
      {attempt.error && !attempt.statusCode && <p className="mt-2 text-sm text-red-700">{attempt.error}</p>}
      <div className="mt-4 grid grid-cols-1 gap-4 xl:grid-cols-2">
        <div className="min-w-0">
          <h4 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Request</h4>
          {attempt.requestHeaders ? (
            <CodeBlock title={`POST ${url}`} label={`Attempt ${number} request`} code={`POST ${url}\n${headerText(attempt.requestHeaders)}\n\n${body}`} />
          ) : (
            <p className="text-sm text-slate-500">Headers were not kept for this attempt (logged before they were).</p>
          )}
        </div>
        <div className="min-w-0">
          <h4 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Response (first 2 KB)</h4>
          {attempt.responseSnippet ? (
            <CodeBlock title={attempt.statusCode ? `HTTP ${attempt.statusCode}` : 'Response'} label={`Attempt ${number} response`} code={attempt.responseSnippet} />
          ) : (
            <p className="text-sm text-slate-500">{attempt.statusCode ? 'An empty body.' : 'No response.'}</p>
          )}
        </div>
      </div>
    </li>
  )
}

export default async function DeliveryPage({ params }: { params: Promise<{ id: string; deliveryId: string }> }) {
  const { id, deliveryId } = await params
  const user = await requireUser(`/webhooks/${id}/deliveries/${deliveryId}`)
  if (!isUuid(id) || !isUuid(deliveryId)) notFound()
  const [endpoint, delivery] = await Promise.all([findEndpoint(user.userId, id), findDeliveryWithLog(user.userId, id, deliveryId)])
  if (!endpoint || !delivery) notFound()
  // The body is the same on every attempt: the delivery's payload, serialised as the dispatcher does.
  const body = payloadBody(delivery.payload)
  const attempts = [...delivery.attemptLog].reverse()

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`/webhooks/${id}`} className="font-medium text-brand-700 hover:text-brand-900">
          ← {endpoint.url}
        </Link>
      </p>
      <PageHeader title={delivery.event} description={`Delivery ${delivery.id} · ${delivery.instance} · ${delivery.attempts} ${delivery.attempts === 1 ? 'attempt' : 'attempts'} · ${delivery.status}`} />
      {attempts.length === 0 ? (
        <div className="space-y-3">
          <p className="text-sm text-slate-600">Not tried yet. The body it will send:</p>
          <CodeBlock title="Body" label="Request body" code={body} />
        </div>
      ) : (
        <ol aria-label="Attempts, newest first" className="space-y-4">
          {attempts.map((attempt, index) => (
            <AttemptCard key={attempt.attemptedAt.toISOString() + index} attempt={attempt} number={attempts.length - index} url={endpoint.url} body={body} />
          ))}
        </ol>
      )}
    </>
  )
}
