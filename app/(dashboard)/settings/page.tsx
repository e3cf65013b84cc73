// The account's settings: how long its data is kept, a download of all of it, and deleting the account.
import type { Metadata } from 'next'
import { PageHeader } from '@/components/dashboard/shell'
import { requireUser } from '@/lib/auth/session'
import { getRetention } from '@/lib/services/accounts/retention'
import { DeleteAccountForm } from './delete-account-form'
import { RetentionForm } from './retention-form'
import { BackgroundExport } from './background-export'
import { getLatestExport } from '@/lib/services/accounts/export-jobs'

export const metadata: Metadata = { title: 'Settings' }
export const dynamic = 'force-dynamic'

// buttonClass('secondary') spelled out: components/ui/button.tsx is a client module, not callable while rendering here.
const DOWNLOAD_BUTTON =
  'inline-flex items-center justify-center gap-2 whitespace-nowrap rounded-lg bg-white px-4 py-2.5 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-slate-300 transition hover:bg-slate-50'
const CARD = 'rounded-xl bg-white p-5 shadow-xs ring-1 ring-slate-200 sm:p-6'

export default async function SettingsPage() {
  const user = await requireUser('/settings')
  const [retention, latestExport] = await Promise.all([getRetention({ ctx: user }), getLatestExport({ ctx: user })])
  return (
    <>
      <PageHeader title="Settings" description={`Your account, ${user.email}: how long its data is kept, a copy of it, and deleting it.`} />
      <div className="grid grid-cols-1 gap-6">
        <section aria-labelledby="retention-heading" className={CARD}>
          <h2 id="retention-heading" className="text-base font-semibold text-slate-900">
            Data retention
          </h2>
          <p className="mb-5 mt-1 text-sm text-slate-600">Anything older than this is deleted for good, checked every hour. Scheduled sends not yet sent are kept.</p>
          <RetentionForm retention={retention} />
        </section>
        <section aria-labelledby="export-heading" className={CARD}>
          <h2 id="export-heading" className="text-base font-semibold text-slate-900">
            Export your data
          </h2>
          <p className="mb-4 mt-1 text-sm text-slate-600">
            Your instances, contacts, chats and messages as JSON lines, one record a line. Secrets (API keys, WhatsApp credentials, webhook secrets) are not in it.
          </p>
          <div className="flex flex-col gap-5">
            <div>
              <a href="/api/v1/me/export" download className={DOWNLOAD_BUTTON}>
                Download export
              </a>
              <p className="mt-2 text-xs text-slate-500">Streamed now. For a big account, prepare it in the background instead: we email you when it is ready, and it can be downloaded here for 24 hours.</p>
            </div>
            <BackgroundExport latest={latestExport ?? null} />
          </div>
        </section>
        <section aria-labelledby="delete-heading" className={`${CARD} ring-red-200`}>
          <h2 id="delete-heading" className="text-base font-semibold text-red-700">
            Delete account
          </h2>
          <p className="mb-4 mt-1 text-sm text-slate-600">
            Every instance is logged out from WhatsApp, then the account and everything in it are deleted: API keys, webhooks, messages, media, events and usage. This cannot be undone; we email you when it is done.
          </p>
          <DeleteAccountForm email={user.email} />
        </section>
      </div>
    </>
  )
}
