'use client'
import Link from 'next/link'
import { useState, useTransition } from 'react'
import { Button } from '@/components/ui/button'
import { CopyButton } from '@/components/ui/copy-button'
import { ConfirmDialog } from '@/components/ui/confirm-dialog'
import { refusalText, type ActionState } from '@/lib/actions/action-state'
import {
  deleteWebhookAction,
  resendDeliveryAction,
  revealWebhookSecretAction,
  rotateWebhookSecretAction,
  sendTestEventAction,
  setWebhookEnabledAction,
} from './actions'
import type { DeliveryRow, EndpointRow } from './webhooks-view'

/** One of the card's "are you sure?" questions: what it says, and the action it runs when confirmed. */
type Confirmation = {
  title: string
  body: string
  confirmLabel: string
  pendingLabel: string
  tone: 'danger' | 'primary'
  run: () => Promise<ActionState<unknown>>
}

const STATUS_LOOK: Record<DeliveryRow['status'], { label: string; badge: string }> = {
  succeeded: { label: 'Succeeded', badge: 'bg-brand-50 text-brand-700 ring-brand-100' },
  pending: { label: 'Retrying', badge: 'bg-amber-50 text-amber-800 ring-amber-200' },
  failed: { label: 'Failed', badge: 'bg-red-50 text-red-700 ring-red-200' },
}

function DeliveryStatus({ delivery }: { delivery: DeliveryRow }) {
  const look = delivery.status === 'pending' && delivery.attempts === 0 ? { label: 'Sending', badge: STATUS_LOOK.pending.badge } : STATUS_LOOK[delivery.status]
  return <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${look.badge}`}>{look.label}</span>
}

function DeliveryLog({ endpoint }: { endpoint: EndpointRow }) {
  const [pending, startTransition] = useTransition()
  const [busy, setBusy] = useState<string>()
  const [error, setError] = useState<string>()
  if (endpoint.deliveries.length === 0) {
    return <p className="px-5 py-6 text-sm text-slate-500 sm:px-6">No deliveries yet. Send a test event to see one here.</p>
  }
  const resend = (delivery: DeliveryRow) => {
    setBusy(delivery.id)
    startTransition(async () => {
      const result = await resendDeliveryAction({ id: endpoint.id, deliveryId: delivery.id })
      setError(refusalText(result))
      setBusy(undefined)
    })
  }
  return (
    <>
      {error && (
        <p role="alert" className="px-5 pt-3 text-sm text-red-600 sm:px-6">
          {error}
        </p>
      )}
      <ul aria-label="Delivery log" className="divide-y divide-slate-200">
        {endpoint.deliveries.map((delivery) => {
          const last = delivery.lastAttempt
          return (
            <li key={delivery.id} data-testid="delivery" data-status={delivery.status} className="px-5 py-3 sm:px-6">
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
                <span className="font-mono text-[12px] font-semibold text-slate-900">{delivery.event}</span>
                <DeliveryStatus delivery={delivery} />
                <span className="text-xs text-slate-500">
                  {delivery.attempts} {delivery.attempts === 1 ? 'attempt' : 'attempts'}
                </span>
                {last && (
                  <span className="text-xs text-slate-600" data-testid="delivery-response">
                    {last.statusCode ? `HTTP ${last.statusCode}` : (last.error ?? 'No response')}
                    {last.latencyMs !== null && ` · ${last.latencyMs} ms`}
                  </span>
                )}
                <time className="text-xs text-slate-500" title={delivery.createdTitle}>
                  {delivery.created}
                </time>
                <Button
                  size="sm"
                  variant="secondary"
                  className="ml-auto"
                  pending={pending && busy === delivery.id}
                  pendingLabel="Resending…"
                  disabled={!endpoint.enabled || pending}
                  onClick={() => resend(delivery)}
                >
                  Resend
                </Button>
              </div>
              {(last?.responseSnippet || (last?.error && last.statusCode) || delivery.nextAttempt) && (
                <details className="mt-2 text-xs text-slate-600">
                  <summary className="cursor-pointer select-none text-slate-500 hover:text-slate-800">Details</summary>
                  <dl className="mt-2 space-y-1">
                    <div className="font-mono text-[11px] text-slate-500">X-Sage-Delivery: {delivery.id}</div>
                    {delivery.lastAttemptWhen && <div>Last attempt: {delivery.lastAttemptWhen}</div>}
                    {delivery.nextAttempt && <div>Next attempt: {delivery.nextAttempt}</div>}
                  </dl>
                  {last?.responseSnippet && (
                    <pre className="mt-2 max-h-40 overflow-auto whitespace-pre-wrap break-all rounded-md bg-slate-900 palette-fixed p-3 font-mono text-[11px] text-slate-100">
                      {last.responseSnippet}
                    </pre>
                  )}
                </details>
              )}
            </li>
          )
        })}
      </ul>
    </>
  )
}

export function EndpointCard({ endpoint, onSecret }: { endpoint: EndpointRow; onSecret: (title: string, secret: string) => void }) {
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null)
  const [revealed, setRevealed] = useState<string>()
  const [notice, setNotice] = useState<{ tone: 'ok' | 'error'; text: string }>()
  const [pending, startTransition] = useTransition()
  const [working, setWorking] = useState<'test' | 'reveal' | 'enable'>()

  const run = (what: 'test' | 'reveal' | 'enable', work: () => Promise<void>) => {
    setWorking(what)
    startTransition(async () => {
      await work()
      setWorking(undefined)
    })
  }

  const sendTest = () =>
    run('test', async () => {
      const result = await sendTestEventAction({ id: endpoint.id })
      setNotice(result.ok ? { tone: 'ok', text: 'Test event sent. It appears in the delivery log below.' } : { tone: 'error', text: refusalText(result) ?? '' })
    })

  const reveal = () =>
    run('reveal', async () => {
      if (revealed) return setRevealed(undefined)
      const result = await revealWebhookSecretAction({ id: endpoint.id })
      if (result.ok) setRevealed(result.value)
      else setNotice({ tone: 'error', text: refusalText(result) ?? '' })
    })

  const rotate = () =>
    setConfirmation({
      title: 'Rotate the signing secret?',
      body: 'A new secret starts signing right away. For 24 hours the old one keeps signing too, in X-Sage-Signature-Previous, so you can update your endpoint without dropping deliveries.',
      confirmLabel: 'Rotate secret',
      pendingLabel: 'Rotating…',
      tone: 'primary',
      run: async () => {
        const result = await rotateWebhookSecretAction({ id: endpoint.id })
        if (result.ok) {
          setRevealed(undefined)
          onSecret('New signing secret', result.value)
        }
        return result
      },
    })

  const toggle = () => {
    if (!endpoint.enabled) {
      return run('enable', async () => {
        const result = await setWebhookEnabledAction({ id: endpoint.id, enabled: true })
        setNotice(result.ok ? { tone: 'ok', text: 'Endpoint enabled.' } : { tone: 'error', text: refusalText(result) ?? '' })
      })
    }
    setConfirmation({
      title: 'Disable this endpoint?',
      body: 'No new events are sent to it while it is disabled, and its pending retries are marked failed. You can enable it again and resend deliveries from the log.',
      confirmLabel: 'Disable endpoint',
      pendingLabel: 'Disabling…',
      tone: 'danger',
      run: () => setWebhookEnabledAction({ id: endpoint.id, enabled: false }),
    })
  }

  const remove = () =>
    setConfirmation({
      title: 'Delete this endpoint?',
      body: `${endpoint.url} stops receiving events, and its delivery log is deleted. This cannot be undone.`,
      confirmLabel: 'Delete endpoint',
      pendingLabel: 'Deleting…',
      tone: 'danger',
      run: () => deleteWebhookAction({ id: endpoint.id }),
    })

  return (
    <section aria-label={`Webhook endpoint ${endpoint.url}`} data-testid="endpoint" className="overflow-hidden rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
      <div className="space-y-4 px-5 py-5 sm:px-6">
        <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
          <div className="min-w-0">
            <p className="break-all font-mono text-sm font-semibold text-slate-900">{endpoint.url}</p>
            <Link href={`/webhooks/${endpoint.id}`} className="mt-1 inline-block text-sm font-medium text-brand-700 hover:text-brand-900">
              All deliveries and settings →
            </Link>
          </div>
          <span
            className={`inline-flex w-fit shrink-0 items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ${
              !endpoint.enabled ? 'bg-slate-100 text-slate-700 ring-slate-200' : endpoint.failing ? 'bg-amber-50 text-amber-800 ring-amber-200' : 'bg-brand-50 text-brand-700 ring-brand-100'
            }`}
          >
            <span aria-hidden className={`size-1.5 rounded-full ${!endpoint.enabled ? 'bg-slate-400' : endpoint.failing ? 'bg-amber-500' : 'bg-brand-500'}`} />
            {!endpoint.enabled ? 'Disabled' : endpoint.failing ? 'Failing' : 'Enabled'}
          </span>
        </div>

        {endpoint.disabledReason && <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">{endpoint.disabledReason}</p>}
        {endpoint.enabled && endpoint.failing && (
          <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
            Every delivery has failed since {endpoint.failing}. After 3 days without a success the endpoint is disabled and you get an email.
          </p>
        )}

        <div className="flex flex-wrap gap-1.5" aria-label="Events">
          {endpoint.events.map((event) => (
            <span key={event} className="rounded-md bg-slate-100 px-2 py-0.5 font-mono text-[11px] text-slate-700">
              {event}
            </span>
          ))}
          <span className="rounded-md px-2 py-0.5 text-[12px] text-slate-500">{endpoint.instance ? `from ${endpoint.instance} only` : 'from every instance'}</span>
        </div>

        <div>
          <p className="text-sm font-medium text-slate-800">Signing secret</p>
          <div className="mt-1.5 flex flex-col gap-2 sm:flex-row sm:items-center">
            <code data-testid="revealed-secret" className="block min-w-0 flex-1 break-all rounded-lg bg-slate-100 px-3 py-2 font-mono text-[13px] text-slate-800">
              {revealed ?? 'whsec_' + '•'.repeat(24)}
            </code>
            <div className="flex gap-2">
              <Button size="sm" variant="secondary" onClick={reveal} pending={working === 'reveal'} disabled={pending}>
                {revealed ? 'Hide' : 'Reveal'}
              </Button>
              {revealed && <CopyButton text={revealed} />}
              <Button size="sm" variant="secondary" onClick={rotate} disabled={pending}>
                Rotate
              </Button>
            </div>
          </div>
          {endpoint.previousSecretUntil && (
            <p className="mt-1.5 text-xs text-slate-500">The previous secret also signs (X-Sage-Signature-Previous) until {endpoint.previousSecretUntil}.</p>
          )}
        </div>

        {notice && (
          <p role="status" className={`text-sm ${notice.tone === 'ok' ? 'text-brand-700' : 'text-red-600'}`}>
            {notice.text}
          </p>
        )}

        <div className="flex flex-wrap gap-2">
          <Button size="sm" onClick={sendTest} pending={working === 'test'} pendingLabel="Sending…" disabled={!endpoint.enabled || pending}>
            Send test event
          </Button>
          <Button size="sm" variant="secondary" onClick={toggle} pending={working === 'enable'} disabled={pending}>
            {endpoint.enabled ? 'Disable' : 'Enable'}
          </Button>
          <Button size="sm" variant="ghost" className="text-red-600 hover:bg-red-50 hover:text-red-700" onClick={remove} disabled={pending}>
            Delete
          </Button>
        </div>
      </div>
      <div className="border-t border-slate-200 bg-slate-50/60">
        <h3 className="px-5 pt-4 text-xs font-semibold uppercase tracking-wide text-slate-500 sm:px-6">Delivery log</h3>
        <DeliveryLog endpoint={endpoint} />
      </div>
      {confirmation && (
        <ConfirmDialog
          title={confirmation.title}
          confirmLabel={confirmation.confirmLabel}
          pendingLabel={confirmation.pendingLabel}
          tone={confirmation.tone}
          run={confirmation.run}
          onClose={() => setConfirmation(null)}
          onDone={() => setConfirmation(null)}
        >
          <p className="text-slate-700">{confirmation.body}</p>
        </ConfirmDialog>
      )}
    </section>
  )
}
