'use client'
import Link from 'next/link'
import { EmptyState } from '@/components/dashboard/empty-state'
import { CodeBlock } from '@/components/ui/code-block'
import type { RecentMessage } from '@/lib/services/instances/recent-messages'
import { ArrowInIcon, ArrowOutIcon, ChatIcon } from './page-icons'

const STATUS_LOOK: Record<RecentMessage['status'], { label: string; look: string }> = {
  SCHEDULED: { label: 'Scheduled', look: 'bg-amber-50 text-amber-700 ring-amber-200' },
  PENDING: { label: 'Pending', look: 'bg-slate-100 text-slate-600 ring-slate-200' },
  QUEUED_BY_POLICY: { label: 'Held by policy', look: 'bg-amber-50 text-amber-700 ring-amber-200' },
  SERVER_ACK: { label: 'Sent', look: 'bg-slate-100 text-slate-700 ring-slate-200' },
  DELIVERY_ACK: { label: 'Delivered', look: 'bg-brand-50 text-brand-700 ring-brand-100' },
  READ: { label: 'Read', look: 'bg-sky-50 text-sky-700 ring-sky-200' },
  PLAYED: { label: 'Played', look: 'bg-sky-50 text-sky-700 ring-sky-200' },
  ERROR: { label: 'Failed', look: 'bg-red-50 text-red-700 ring-red-200' },
  CANCELLED: { label: 'Cancelled', look: 'bg-slate-100 text-slate-500 ring-slate-200' },
}

const KIND_LABEL: Record<RecentMessage['kind'], string> = {
  text: 'Text',
  image: 'Image',
  video: 'Video',
  audio: 'Audio',
  document: 'Document',
  sticker: 'Sticker',
  location: 'Location',
  contact: 'Contact',
  reaction: 'Reaction',
  other: 'Message',
}

function StatusBadge({ message }: { message: RecentMessage }) {
  if (message.direction === 'in') {
    return <span className="inline-flex rounded-full bg-white px-2 py-0.5 text-xs font-medium text-slate-600 ring-1 ring-slate-200">Received</span>
  }
  const { label, look } = STATUS_LOOK[message.status]
  return (
    <span title={message.errorMessage ?? undefined} className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${look}`}>
      {label}
    </span>
  )
}

const sameDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const otherDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' })

/** Local time; the server renders its own zone first, hence the hydration warning being suppressed. */
function Time({ iso }: { iso: string }) {
  const date = new Date(iso)
  const today = new Date().toDateString() === date.toDateString()
  return (
    <time dateTime={iso} title={full.format(date)} suppressHydrationWarning className="whitespace-nowrap tabular-nums">
      {(today ? sameDay : otherDay).format(date)}
    </time>
  )
}

function NoMessages({ name, apiBase }: { name: string; apiBase: string }) {
  const curl = `curl -X POST ${apiBase}/api/v1/instance/${name}/message/sendText \\
  -H "Authorization: Bearer $SAGE_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"number": "15550001234", "text": "Hello from SAGE-API"}'`
  return (
    <div className="px-5 py-10 sm:px-8">
      <EmptyState icon={ChatIcon} title="No messages yet" heading="h3" framed={false}>
        Send your first message with the API. It shows up here with its delivery status, and so do the messages this number receives.
      </EmptyState>
      <CodeBlock title="Send a text message" code={curl} label="curl example" className="mx-auto mt-5 max-w-2xl" />
      <p className="mt-3 text-center text-sm text-slate-500">
        No key yet?{' '}
        <Link href="/keys" className="font-semibold text-brand-700 hover:text-brand-900">
          Create an API key
        </Link>
      </p>
    </div>
  )
}

/** The instance's latest messages, both directions, kept current by the page's live stream. */
export function RecentMessages({ name, messages, apiBase, live }: { name: string; messages: RecentMessage[]; apiBase: string; live: boolean }) {
  return (
    <section aria-labelledby="messages-heading" className="mt-8">
      <div className="mb-3 flex items-end justify-between gap-3">
        <div>
          <h2 id="messages-heading" className="text-base font-semibold text-slate-900">
            Recent messages
          </h2>
          <p className="mt-0.5 text-sm text-slate-500">The latest {messages.length > 0 ? messages.length : 20} sent and received{live ? ', updated live' : ''}.</p>
        </div>
      </div>
      <div className="overflow-hidden rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
        {messages.length === 0 ? (
          <NoMessages name={name} apiBase={apiBase} />
        ) : (
          <ul className="divide-y divide-slate-100" aria-label="Recent messages">
            {messages.map((message) => (
              <li key={message.id} data-message-id={message.id} className="flex items-start gap-3 px-4 py-3.5 sm:px-5">
                <span
                  className={`mt-0.5 grid size-8 shrink-0 place-items-center rounded-full ${
                    message.direction === 'out' ? 'bg-brand-50 text-brand-600' : 'bg-slate-100 text-slate-500'
                  }`}
                >
                  {message.direction === 'out' ? <ArrowOutIcon className="size-4" /> : <ArrowInIcon className="size-4" />}
                  <span className="sr-only">{message.direction === 'out' ? 'Sent to' : 'Received from'}</span>
                </span>
                <div className="min-w-0 flex-1">
                  <div className="flex flex-wrap items-baseline gap-x-2">
                    <span className="font-mono text-[13px] font-medium text-slate-900">{message.isGroup ? `Group ${message.chat}` : message.chat}</span>
                    {message.pushName && <span className="truncate text-xs text-slate-500">{message.pushName}</span>}
                  </div>
                  <p className="mt-0.5 truncate text-sm text-slate-600">
                    {message.kind !== 'text' && <span className="mr-1.5 rounded bg-slate-100 px-1.5 py-px text-[11px] font-medium uppercase tracking-wide text-slate-500">{KIND_LABEL[message.kind]}</span>}
                    {message.preview || <span className="italic text-slate-400">(empty)</span>}
                  </p>
                  {message.status === 'ERROR' && message.errorMessage && <p className="mt-1 text-xs text-red-700">{message.errorMessage}</p>}
                </div>
                <div className="flex shrink-0 flex-col items-end gap-1 text-xs text-slate-500">
                  <StatusBadge message={message} />
                  <Time iso={message.at} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  )
}
