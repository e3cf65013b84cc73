import Link from 'next/link'
import { EmptyState } from '@/components/dashboard/empty-state'
import { InstancesIcon } from '@/components/ui/icons'

export default function InstanceNotFound() {
  return (
    <EmptyState
      icon={InstancesIcon}
      title="Instance not found"
      heading="h1"
      muted
      action={
        <Link href="/instances" className="inline-flex items-center justify-center rounded-lg bg-white px-4 py-2.5 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50">
          Back to instances
        </Link>
      }
    >
      There is no instance by this name in your account. It may have been deleted, or the link has a typo.
    </EmptyState>
  )
}
