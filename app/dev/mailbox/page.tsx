import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { Logo } from '@/components/logo'
import { MailIcon } from '@/components/ui/icons'
import { config } from '@/lib/config'
import { listDevMailbox } from '@/lib/email/dev-mailbox'

export const metadata: Metadata = { title: 'Dev mailbox' }
export const dynamic = 'force-dynamic'

/** Plain text with its links made clickable (the emails' only links are our own verify/reset URLs). */
function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/\S+)/g)
  return (
    <>
      {parts.map((part, index) =>
        /^https?:\/\//.test(part) ? (
          <a key={index} href={part} className="break-all font-medium text-brand-700 underline decoration-brand-300 underline-offset-2 hover:text-brand-600">
            {part}
          </a>
        ) : (
          <span key={index}>{part}</span>
        ),
      )}
    </>
  )
}

/** Outside production, with no RESEND_API_KEY, every email the app sends lands here so a local user can click its link. */
export default async function DevMailboxPage() {
  if (config().isProduction) notFound()
  const emails = await listDevMailbox()
  return (
    <div className="mx-auto max-w-3xl px-4 py-8 sm:px-6">
      <div className="flex items-center justify-between">
        <Logo />
        <span className="rounded-full bg-amber-100 px-2.5 py-1 text-xs font-medium text-amber-800">Development only</span>
      </div>
      <h1 className="mt-8 text-2xl font-semibold tracking-tight">Dev mailbox</h1>
      <p className="mt-1.5 text-sm text-slate-600">
        No <code className="font-mono text-[13px]">RESEND_API_KEY</code> is set, so emails are kept here instead of being sent. Newest first.
      </p>
      {emails.length === 0 ? (
        <div className="mt-8 rounded-xl border border-dashed border-slate-300 bg-white px-6 py-12 text-center text-sm text-slate-600">
          <MailIcon className="mx-auto mb-3 size-6 text-slate-400" />
          No emails yet. Sign up or ask for a password reset, then reload.
        </div>
      ) : (
        <ol className="mt-8 space-y-4">
          {emails.map((email) => (
            <li key={email.id}>
              <article aria-label={email.subject} className="rounded-xl bg-white p-5 shadow-xs ring-1 ring-slate-200">
                <header className="flex flex-col gap-1 border-b border-slate-100 pb-3 sm:flex-row sm:items-baseline sm:justify-between">
                  <h2 className="font-semibold text-slate-900">{email.subject}</h2>
                  <time dateTime={email.createdAt.toISOString()} className="text-xs text-slate-500">
                    {email.createdAt.toISOString().replace('T', ' ').slice(0, 19)} UTC
                  </time>
                </header>
                <p className="mt-3 text-xs text-slate-500">
                  To <span className="font-medium text-slate-700">{email.to}</span>
                </p>
                <p className="mt-3 whitespace-pre-line text-sm leading-relaxed text-slate-700">
                  <Linkified text={email.text} />
                </p>
              </article>
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}
