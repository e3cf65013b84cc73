import Link from 'next/link'

/** Above every dashboard page in demo mode (`npm run demo`): WhatsApp is simulated, and the virtual phone is one click away. */
export function DemoBanner() {
  return (
    <div className="border-b border-sky-200 bg-sky-50">
      <div className="mx-auto flex max-w-5xl flex-col gap-2 px-4 py-2.5 text-sm text-sky-900 sm:flex-row sm:items-center sm:justify-between sm:px-6 lg:px-10">
        <p>
          <strong className="font-semibold">Demo mode.</strong> WhatsApp is simulated on this computer: no phone or internet needed.
        </p>
        <Link href="/demo/phone" className="shrink-0 font-semibold text-sky-800 underline decoration-sky-300 underline-offset-2 hover:text-sky-950">
          Open the virtual phone →
        </Link>
      </div>
    </div>
  )
}
