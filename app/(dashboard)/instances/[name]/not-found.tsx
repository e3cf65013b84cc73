import Link from 'next/link'
import { InstancesIcon } from '@/components/ui/icons'

export default function InstanceNotFound() {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-16 text-center">
      <div className="mx-auto grid size-12 place-items-center rounded-full bg-slate-100 text-slate-500">
        <InstancesIcon className="size-6" />
      </div>
      <h1 className="mt-4 text-lg font-semibold text-slate-900">Instance not found</h1>
      <p className="mx-auto mt-1.5 max-w-sm text-sm text-slate-600">
        There is no instance by this name in your account. It may have been deleted, or the link has a typo.
      </p>
      <Link href="/instances" className="mt-6 inline-flex items-center justify-center rounded-lg bg-white px-4 py-2.5 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50">
        Back to instances
      </Link>
    </div>
  )
}
