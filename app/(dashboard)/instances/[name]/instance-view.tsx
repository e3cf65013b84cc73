'use client'
import Link from 'next/link'
import { useCallback, useEffect, useRef, useState } from 'react'
import { InstanceStateBadge } from '@/components/dashboard/instance-state-badge'
import { SandboxBadge } from '@/components/dashboard/sandbox-badge'
import { CheckIcon, CloseIcon } from '@/components/ui/icons'
import { Notice } from '@/components/ui/notice'
import type { InstanceLiveState } from '@/lib/services/instances/lifecycle'
import { shownStateOf } from '@/lib/instances/status-codes'
import { refusalText, type ActionState } from '@/lib/actions/action-state'
import type { InstanceChange } from './actions'
import { InstanceActions } from './instance-actions'
import { ServerIcon } from './page-icons'
import { PairingPanel } from './pairing-panel'
import { formatPhone } from './pairing-phase'
import { Inbox } from './inbox/inbox'
import { useInstanceEvents, type StreamStatus } from './use-instance-events'

type Feedback = { tone: 'success' | 'error'; message: string; id: number }

function LiveIndicator({ status }: { status: StreamStatus }) {
  if (status === 'gone') return null
  const live = status === 'live'
  return (
    <span role="status" className="inline-flex items-center gap-1.5 text-xs font-medium text-slate-500">
      <span aria-hidden className="relative flex size-2">
        {live && <span className="absolute inline-flex size-full rounded-full bg-brand-500 opacity-60 motion-safe:animate-ping" />}
        <span className={`relative inline-flex size-2 rounded-full ${live ? 'bg-brand-500' : 'bg-amber-500'}`} />
      </span>
      {live ? 'Live' : 'Reconnecting…'}
    </span>
  )
}

function subtitle(state: InstanceLiveState): React.ReactNode {
  const phone = formatPhone(state.phoneNumber)
  if (shownStateOf(state) === 'open') {
    return (
      <>
        <span className="font-medium text-slate-800">{phone}</span>
        {state.pushName && <> · {state.pushName}</>}
      </>
    )
  }
  if (phone) return <>Linked to {phone}, not connected right now</>
  return 'No phone linked yet'
}

function ConnectedPanel({ state }: { state: InstanceLiveState }) {
  return (
    <section aria-labelledby="connection-heading" className="rounded-xl bg-white p-5 shadow-xs ring-1 ring-slate-200 sm:p-6">
      <div className="flex items-start gap-4">
        <span className="grid size-10 shrink-0 place-items-center rounded-full bg-brand-50 text-brand-600 ring-1 ring-brand-100">
          <CheckIcon className="size-5" />
        </span>
        <div className="min-w-0">
          <h2 id="connection-heading" className="text-base font-semibold text-slate-900">
            Connected to WhatsApp
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            The API sends as this number, and messages to it arrive in the Inbox below and at your webhooks. The session survives restarts; you won&apos;t need to scan
            again.
          </p>
        </div>
      </div>
      <dl className="mt-5 grid grid-cols-2 gap-4 rounded-lg bg-slate-50 px-4 py-3.5 text-sm ring-1 ring-slate-200 sm:grid-cols-3">
        <div>
          <dt className="text-xs font-medium text-slate-500">Phone number</dt>
          <dd data-phone-number={state.phoneNumber ?? ''} className="mt-0.5 font-mono text-[13px] font-medium text-slate-900">
            {formatPhone(state.phoneNumber) ?? 'Unknown'}
          </dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-slate-500">WhatsApp name</dt>
          <dd className="mt-0.5 truncate text-slate-900">{state.pushName ?? <span className="text-slate-500">Not set</span>}</dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-slate-500">Status</dt>
          {state.statusCode === 'send_paused' ? (
            <dd className="mt-0.5 flex items-center gap-1.5 text-amber-800">
              <span aria-hidden className="size-1.5 rounded-full bg-amber-500" />
              Online, sending paused
            </dd>
          ) : (
            <dd className="mt-0.5 flex items-center gap-1.5 text-slate-900">
              <span aria-hidden className="size-1.5 rounded-full bg-brand-500" />
              Online
            </dd>
          )}
        </div>
      </dl>
    </section>
  )
}

/** Nothing can reach WhatsApp while no worker runs; the page says so rather than waiting silently. */
function NoWorkerNotice() {
  return (
    <div role="status" className="mb-6 flex gap-3 rounded-xl bg-amber-50 px-4 py-3.5 text-sm text-amber-900 ring-1 ring-amber-200">
      <ServerIcon className="mt-0.5 size-5 shrink-0 text-amber-600" />
      <p>
        <strong className="font-semibold">No worker is running, so WhatsApp can&apos;t be reached right now.</strong> Connecting, restarting and sending wait until
        one starts (<code className="font-mono text-[13px]">npm start</code> runs one); this page picks it up by itself.
      </p>
    </div>
  )
}

export function InstanceView({
  name,
  initialState,
  qrTimeoutMs,
  demo = false,
  sandbox = false,
  apiBase,
}: {
  name: string
  initialState: InstanceLiveState
  qrTimeoutMs: number | null
  /** `npm run demo`: offer the virtual phone under the QR. */
  demo?: boolean
  /** A sandbox instance: badged, and its virtual phone is one click away. */
  sandbox?: boolean
  /** The API's base URL, for the first-send example of an Inbox without chats. */
  apiBase: string
}) {
  const { state, status, activity, applyState } = useInstanceEvents(name, { state: initialState })
  const [feedback, setFeedback] = useState<Feedback | null>(null)
  const feedbackBox = useRef<HTMLDivElement>(null)

  const onChange = useCallback(
    (change: InstanceChange) => {
      applyState(change.state)
      if (change.notice) setFeedback({ tone: 'success', message: change.notice, id: Date.now() })
    },
    [applyState],
  )
  const onResult = useCallback(
    (result: ActionState<InstanceChange>) => {
      if (result.ok) onChange(result.value)
      else {
        const message = refusalText(result)
        if (message) setFeedback({ tone: 'error', message, id: Date.now() })
      }
    },
    [onChange],
  )
  // The button that was pressed may be gone (Log out hides itself): keep the keyboard on the outcome.
  useEffect(() => {
    if (feedback) feedbackBox.current?.focus()
  }, [feedback])
  // A success note goes stale as the state moves on; errors stay until dismissed.
  useEffect(() => {
    if (feedback?.tone !== 'success') return
    const timer = setTimeout(() => setFeedback((current) => (current?.id === feedback.id ? null : current)), 8000)
    return () => clearTimeout(timer)
  }, [feedback])

  if (status === 'gone') {
    return (
      <div className="space-y-4">
        <Notice tone="info">
          The instance <span className="font-mono text-[13px]">{name}</span> was deleted.
        </Notice>
        <Link href="/instances" className="text-sm font-semibold text-brand-700 hover:text-brand-900">
          ← Back to instances
        </Link>
      </div>
    )
  }

  const shownState = shownStateOf(state)
  const connected = shownState === 'open'
  return (
    <>
      <div className="mb-8">
        <div className="mb-3 flex items-center justify-between gap-3">
          <nav aria-label="Breadcrumb" className="text-sm">
            <Link href="/instances" className="text-slate-500 hover:text-slate-800">
              Instances
            </Link>
            <span aria-hidden className="mx-2 text-slate-300">
              /
            </span>
            <span aria-current="page" className="font-mono text-[13px] text-slate-700">
              {name}
            </span>
          </nav>
          <LiveIndicator status={status} />
        </div>
        <div className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-3">
              <h1 className="break-all font-mono text-2xl font-semibold tracking-tight text-slate-900">{name}</h1>
              <InstanceStateBadge
                state={shownState}
                sendingPaused={state.statusCode === 'send_paused'}
                size="md"
                label={shownState === 'close' && state.phoneNumber ? 'Disconnected' : shownState === 'connecting' && state.phoneNumber ? 'Reconnecting' : undefined}
              />
              {sandbox && (
                <>
                  <SandboxBadge />
                  <Link href={`/demo/phone?instance=${encodeURIComponent(name)}`} className="text-sm font-medium text-brand-700 hover:underline">
                    Open the virtual phone
                  </Link>
                </>
              )}
            </div>
            <p data-testid="instance-subtitle" className="mt-1.5 text-sm text-slate-600">
              {subtitle(state)}
            </p>
          </div>
          <InstanceActions name={name} state={state} onChange={onChange} />
        </div>
      </div>

      {feedback && (
        <div ref={feedbackBox} tabIndex={-1} className="relative mb-6 focus:outline-none">
          <Notice tone={feedback.tone}>
            <div className="flex items-start justify-between gap-3">
              <span>{feedback.message}</span>
              <button type="button" onClick={() => setFeedback(null)} className="-m-1 rounded p-1 opacity-60 hover:opacity-100">
                <span className="sr-only">Dismiss</span>
                <CloseIcon className="size-4" />
              </button>
            </div>
          </Notice>
        </div>
      )}

      {!state.workersAlive && <NoWorkerNotice />}

      {connected ? (
        <ConnectedPanel state={state} />
      ) : (
        <PairingPanel name={name} state={state} qrTimeoutMs={qrTimeoutMs} onResult={onResult} demo={demo} />
      )}

      <Inbox name={name} connected={connected} activity={activity} apiBase={apiBase} />
    </>
  )
}
