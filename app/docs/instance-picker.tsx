'use client'
import { usePathname, useRouter } from 'next/navigation'

/** Signed-in visitors with several instances: which one the examples use. */
export function InstancePicker({ instances, current }: { instances: string[]; current: string }) {
  const router = useRouter()
  const pathname = usePathname()
  return (
    <label className="flex shrink-0 items-center gap-2 text-sm text-slate-600">
      <span className="shrink-0">Instance</span>
      <select
        value={current}
        onChange={(event) => router.replace(`${pathname}?instance=${encodeURIComponent(event.target.value)}`, { scroll: false })}
        className="min-w-36 rounded-md border border-slate-300 bg-white py-1 pl-2 pr-7 font-mono text-[13px] text-slate-900 shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/20"
      >
        {instances.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </label>
  )
}
