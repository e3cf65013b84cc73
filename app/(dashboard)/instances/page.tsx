import type { Metadata } from 'next'
import Link from 'next/link'
import { EmptyState } from '@/components/dashboard/empty-state'
import { InstanceStateBadge } from '@/components/dashboard/instance-state-badge'
import { PageHeader } from '@/components/dashboard/shell'
import { Notice } from '@/components/ui/notice'
import { InstancesIcon } from '@/components/ui/icons'
import { INSTANCE_NAME_RULE } from '@/lib/api/schemas/instances'
import { requireUser } from '@/lib/auth/session'
import { listInstances, type InstanceSummary } from '@/lib/services/instances/instances'
import { CreateInstanceForm } from './create-instance-form'

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

function InstanceTable({ instances }: { instances: InstanceSummary[] }) {
  return (
    <div className="overflow-hidden rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Your instances</caption>
        <thead className="hidden bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500 sm:table-header-group">
          <tr>
            <th scope="col" className="px-5 py-3">Name</th>
            <th scope="col" className="px-5 py-3">State</th>
            <th scope="col" className="px-5 py-3">Created</th>
            <th scope="col" className="px-5 py-3"><span className="sr-only">Open</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {instances.map((instance) => (
            <tr key={instance.name} className="group relative flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-4 hover:bg-slate-50 sm:table-row sm:p-0">
              <td className="w-full font-medium text-slate-900 sm:w-auto sm:px-5 sm:py-4">
                <Link href={`/instances/${instance.name}`} className="font-mono text-[13px] before:absolute before:inset-0 hover:text-brand-700">
                  {instance.name}
                </Link>
              </td>
              <td className="sm:px-5 sm:py-4">
                <InstanceStateBadge state={instance.state} />
              </td>
              <td className="text-slate-500 sm:px-5 sm:py-4">
                <span className="sm:hidden" aria-hidden>· </span>
                <time dateTime={instance.createdAt}>{dateFormat.format(new Date(instance.createdAt))}</time>
              </td>
              <td className="ml-auto text-right text-slate-400 sm:px-5 sm:py-4">
                <span aria-hidden className="group-hover:text-brand-600">→</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export default async function InstancesPage({ searchParams }: { searchParams: Promise<{ deleted?: string | string[] }> }) {
  const user = await requireUser()
  const instances = await listInstances({ ctx: user })
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
        {instances.length === 0 ? <NoInstances verified={user.emailVerified} /> : <InstanceTable instances={instances} />}
      </section>
    </>
  )
}
