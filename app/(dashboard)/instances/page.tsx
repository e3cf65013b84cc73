import type { Metadata } from 'next'
import { EmptyState } from '@/components/dashboard/empty-state'
import { PageHeader } from '@/components/dashboard/shell'
import { Notice } from '@/components/ui/notice'
import { InstancesIcon } from '@/components/ui/icons'
import { INSTANCE_NAME_RULE } from '@/lib/api/schemas/instances'
import { requireUser } from '@/lib/auth/session'
import { formatPhone } from '@/lib/demo/format'
import { listForAccount } from '@/lib/store/instances'
import { activityByInstance } from '@/lib/store/messages'
import { CreateInstanceForm } from './create-instance-form'
import { InstanceList, type InstanceListRow } from './instance-list'

export const metadata: Metadata = { title: 'Instances' }
export const dynamic = 'force-dynamic'

const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' })

function NoInstances({ verified }: { verified: boolean }) {
  return (
    <EmptyState icon={InstancesIcon} title="No instances yet">
      {verified
        ? 'An instance is one WhatsApp number. Create one above, then pair it by scanning a QR code with your phone.'
        : 'Verify your email first; then create an instance and pair it by scanning a QR code with your phone.'}
    </EmptyState>
  )
}

const dateTimeFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })

/** "Just now", "5 minutes ago", "yesterday"; a date past a week. */
function ago(at: Date, now: number): string {
  const minutes = Math.round((at.getTime() - now) / 60_000)
  if (minutes > -1) return 'Just now'
  if (minutes > -60) return relative.format(minutes, 'minute')
  const hours = Math.round(minutes / 60)
  if (hours > -24) return relative.format(hours, 'hour')
  const days = Math.round(hours / 24)
  if (days > -7) return relative.format(days, 'day')
  return dateFormat.format(at)
}

async function instanceRows(userId: string): Promise<InstanceListRow[]> {
  const [instances, activity] = await Promise.all([listForAccount(userId), activityByInstance(userId)])
  const now = Date.now()
  return instances.map((instance) => {
    const seen = activity.get(instance.id)
    return {
      name: instance.name,
      state: instance.state,
      number: instance.phoneNumber ? formatPhone(instance.phoneNumber) : null,
      whatsappName: instance.pushName,
      lastActivity: seen?.lastMessageAt ? ago(seen.lastMessageAt, now) : null,
      lastActivityTitle: seen?.lastMessageAt ? `${dateTimeFormat.format(seen.lastMessageAt)} UTC` : undefined,
      messagesToday: seen?.today ?? 0,
      sandbox: instance.sandbox,
      sendingPaused: instance.statusCode === 'send_paused',
    }
  })
}

export default async function InstancesPage({ searchParams }: { searchParams: Promise<{ deleted?: string | string[] }> }) {
  const user = await requireUser()
  const instances = await instanceRows(user.userId)
  // Set by the instance page's Delete; only shown while no instance of that name exists (again).
  const deleted = (await searchParams).deleted
  const deletedName = typeof deleted === 'string' && /^[a-z0-9-]{3,40}$/.test(deleted) && !instances.some((instance) => instance.name === deleted) ? deleted : undefined
  return (
    <>
      <PageHeader title="Instances" description="Each instance is one WhatsApp number, paired by scanning a QR code with the phone." />
      {deletedName && (
        <div className="mb-6">
          <Notice tone="success">
            Instance <span className="font-mono text-[13px] font-medium">{deletedName}</span> was deleted.
          </Notice>
        </div>
      )}
      <section aria-labelledby="create-instance" className="mb-8 rounded-xl bg-white p-5 shadow-xs ring-1 ring-slate-200 sm:p-6">
        <h2 id="create-instance" className="text-base font-semibold text-slate-900">
          New instance
        </h2>
        <p className="mt-1 text-sm text-slate-600">Pick a name you&apos;ll use in API paths, like <code className="whitespace-nowrap rounded bg-slate-100 px-1 py-0.5 font-mono text-[13px]">acme-prod</code>.</p>
        <CreateInstanceForm verified={user.emailVerified} rule={INSTANCE_NAME_RULE} />
      </section>
      <section aria-label="Your instances">
        {instances.length === 0 ? <NoInstances verified={user.emailVerified} /> : <InstanceList instances={instances} />}
      </section>
    </>
  )
}
