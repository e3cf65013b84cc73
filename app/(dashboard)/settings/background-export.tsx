'use client'
import { useActionState, useEffect } from 'react'
import { useRouter } from 'next/navigation'
import { SubmitButton } from '@/components/ui/submit-button'
import { NOT_SUBMITTED } from '@/lib/actions/action-state'
import type { ExportView } from '@/lib/services/accounts/export-jobs'
import { requestExportAction } from './actions'

const POLL_MS = 1000

/** Big accounts: the export built by a worker, its progress shown live, the file linked once ready. */
export function BackgroundExport({ latest }: { latest: ExportView | null }) {
  const [state, action] = useActionState(requestExportAction, NOT_SUBMITTED)
  const router = useRouter()
  const onItsWay = latest?.status === 'queued' || latest?.status === 'building'
  useEffect(() => {
    if (!onItsWay) return
    // The page re-reads the export's row; the worker writes progress after every piece.
    const timer = setInterval(() => router.refresh(), POLL_MS)
    return () => clearInterval(timer)
  }, [onItsWay, router])
  return (
    <div className="grid gap-3">
      {latest && <ExportStatus latest={latest} />}
      <form action={action}>
        <SubmitButton variant="secondary" pendingLabel="Starting…" disabled={onItsWay}>
          {onItsWay ? 'Export in progress…' : 'Prepare an export in the background'}
        </SubmitButton>
      </form>
      {state.formError && (
        <p role="alert" className="text-sm text-red-600">
          {state.formError}
        </p>
      )}
    </div>
  )
}

function ExportStatus({ latest }: { latest: ExportView }) {
  const percent = latest.progress.percent ?? 0
  if (latest.status === 'ready') {
    return (
      <p className="text-sm text-slate-700" data-testid="export-status">
        Ready: {latest.progress.done.toLocaleString('en-US')} records.{' '}
        <a href={latest.downloadUrl!} download className="font-semibold text-emerald-700 underline">
          Download it
        </a>{' '}
        before {new Date(latest.expiresAt!).toUTCString()}.
      </p>
    )
  }
  if (latest.status === 'failed') {
    return (
      <p role="alert" className="text-sm text-red-600" data-testid="export-status">
        The last export failed: {latest.error}
      </p>
    )
  }
  return (
    <div data-testid="export-status" className="grid gap-1">
      <div className="flex justify-between text-sm text-slate-700">
        <span>{latest.status === 'queued' ? 'Waiting for a worker…' : 'Building your export…'}</span>
        <span>
          {latest.progress.done.toLocaleString('en-US')}
          {latest.progress.total !== null ? ` of ${latest.progress.total.toLocaleString('en-US')}` : ''} records
        </span>
      </div>
      <div role="progressbar" aria-label="Export progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} className="h-2 w-full overflow-hidden rounded-full bg-slate-200">
        <div className="h-full bg-emerald-600 transition-all" style={{ width: `${percent}%` }} />
      </div>
    </div>
  )
}
