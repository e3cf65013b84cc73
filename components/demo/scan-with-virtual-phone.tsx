'use client'
import Link from 'next/link'
import { useState, useTransition } from 'react'
import { Button } from '@/components/ui/button'
import { scanWithVirtualPhoneAction, type DemoActionResult } from '@/app/demo/phone/actions'

/**
 * Demo mode only (render it when the server says demo mode is on): under a QR code, lets the
 * virtual phone scan it without leaving the instance page. Uses the number last set on /demo/phone.
 */
export function ScanWithVirtualPhone({ name }: { name: string }) {
  const [pending, start] = useTransition()
  const [result, setResult] = useState<DemoActionResult | null>(null)
  return (
    <div className="mt-4 flex w-60 flex-col items-center gap-2 text-center">
      <Button variant="secondary" size="sm" pending={pending} pendingLabel="Scanning…" onClick={() => start(async () => setResult(await scanWithVirtualPhoneAction(name)))}>
        Scan with the virtual phone
      </Button>
      {result && (
        <p role={result.ok ? 'status' : 'alert'} className={`text-xs ${result.ok ? 'text-brand-700' : 'text-red-700'}`}>
          {result.ok ? result.message : result.error}
        </p>
      )}
      <Link href="/demo/phone" className="text-xs font-medium text-slate-500 hover:text-slate-800">
        Demo mode · open the virtual phone
      </Link>
    </div>
  )
}
