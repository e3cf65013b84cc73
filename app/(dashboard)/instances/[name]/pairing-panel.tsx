'use client'
import { ScanWithVirtualPhone } from '@/components/demo/scan-with-virtual-phone'
import { useActionState, useEffect, useRef, useState, useTransition } from 'react'
import { Button, Spinner } from '@/components/ui/button'
import { CopyButton } from '@/components/ui/copy-button'
import { Field } from '@/components/ui/field'
import { WarningIcon } from '@/components/ui/icons'
import { Notice } from '@/components/ui/notice'
import type { InstanceLiveState } from '@/lib/services/instances/lifecycle'
import { NOT_SUBMITTED, typedText, type ActionState } from '@/lib/actions/action-state'
import { connectAction, pairingCodeAction, type InstanceChange } from './actions'
import { CloudOffIcon, PhoneIcon, QrIcon } from './page-icons'
import { pairingPhase, type PairingPhase } from './pairing-phase'

type Method = 'qr' | 'phone'

/** Same rule as the API's `number`: country code and number, 10–15 digits once +, spaces, dashes and brackets are gone. */
function phoneNumberProblem(value: string): string | undefined {
  const digits = value.replace(/[\s+\-()]/g, '')
  if (!digits) return 'Enter the phone number of the WhatsApp account to link.'
  if (!/^\d+$/.test(digits)) return 'Use digits only (a leading +, spaces and dashes are fine).'
  if (digits.length < 10 || digits.length > 15) return 'Enter the number with its country code: 10 to 15 digits, like +1 555 000 2222.'
  return undefined
}

const QR_STEPS = [
  'Open WhatsApp on the phone you want to link.',
  <>
    Go to <strong className="font-medium text-slate-800">Settings</strong> (iPhone) or the <strong className="font-medium text-slate-800">⋮ menu</strong> (Android), then{' '}
    <strong className="font-medium text-slate-800">Linked devices</strong>.
  </>,
  <>
    Tap <strong className="font-medium text-slate-800">Link a device</strong> and point the camera at the code.
  </>,
]

const PHONE_STEPS = [
  <>
    On the phone, open WhatsApp → <strong className="font-medium text-slate-800">Settings</strong> → <strong className="font-medium text-slate-800">Linked devices</strong>.
  </>,
  <>
    Tap <strong className="font-medium text-slate-800">Link a device</strong>, then <strong className="font-medium text-slate-800">Link with phone number instead</strong>.
  </>,
  'Enter the 8-character code shown here.',
]

function Steps({ steps }: { steps: React.ReactNode[] }) {
  return (
    <ol className="mt-5 space-y-3 text-sm text-slate-600">
      {steps.map((step, index) => (
        <li key={index} className="flex gap-3">
          <span aria-hidden className="grid size-6 shrink-0 place-items-center rounded-full bg-slate-100 text-xs font-semibold text-slate-700">
            {index + 1}
          </span>
          <span className="pt-0.5">{step}</span>
        </li>
      ))}
    </ol>
  )
}

/** Seconds until Baileys rotates the QR (its defaults: 60 s for the first code, 20 s for each next one). */
function useQrCountdown(qr: NonNullable<InstanceLiveState['qr']>, updatedAt: string, qrTimeoutMs: number | null) {
  const lifetime = qrTimeoutMs ?? (qr.count <= 1 ? 60_000 : 20_000)
  const [shownAt, setShownAt] = useState<number | null>(null)
  const [now, setNow] = useState<number | null>(null)
  useEffect(() => {
    const received = Date.now()
    const issued = Date.parse(updatedAt)
    // The server's clock dates the code; when it disagrees with ours by more than a lifetime, trust ours.
    setShownAt(issued <= received && received - issued < lifetime ? issued : received)
    setNow(received)
    // updatedAt moves with unrelated changes too; the code is what starts a new countdown.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [qr.code])
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250)
    return () => clearInterval(timer)
  }, [])
  if (shownAt === null || now === null) return { seconds: null, fraction: 1 }
  const remaining = Math.max(0, shownAt + lifetime - now)
  return { seconds: Math.ceil(remaining / 1000), fraction: remaining / lifetime }
}

function QrCode({ qr, updatedAt, qrTimeoutMs }: { qr: NonNullable<InstanceLiveState['qr']>; updatedAt: string; qrTimeoutMs: number | null }) {
  const { seconds, fraction } = useQrCountdown(qr, updatedAt, qrTimeoutMs)
  return (
    <figure className="flex flex-col items-center">
      <div className="rounded-2xl bg-white p-3 shadow-sm ring-1 ring-slate-200">
        {/* eslint-disable-next-line @next/next/no-img-element -- a data URL that changes every few seconds */}
        <img
          key={qr.code}
          src={qr.base64}
          data-qr={qr.code}
          data-qr-count={qr.count}
          alt="QR code to scan with WhatsApp on your phone"
          width={240}
          height={240}
          className="size-60"
        />
      </div>
      <div aria-hidden className="mt-4 h-1 w-60 overflow-hidden rounded-full bg-slate-100">
        <div className="h-full rounded-full bg-brand-500 transition-[width] duration-300 ease-linear" style={{ width: `${fraction * 100}%` }} />
      </div>
      <figcaption className="mt-2 flex w-60 items-center justify-between text-xs text-slate-500">
        <span className="font-medium text-slate-700">QR #{qr.count}</span>
        <span className="tabular-nums">{seconds === null ? 'Refreshes by itself' : seconds > 0 ? `New code in ${seconds} s` : 'Refreshing…'}</span>
      </figcaption>
    </figure>
  )
}

/** The right-hand box for everything that is not a QR or a code: an icon, a line, and maybe an action. */
function StatusBox({ icon, title, children, tone = 'neutral' }: { icon: React.ReactNode; title: string; children?: React.ReactNode; tone?: 'neutral' | 'warning' }) {
  return (
    <div
      className={`flex min-h-52 w-full flex-col items-center justify-center rounded-2xl border border-dashed px-6 py-8 text-center sm:min-h-72 sm:w-72 ${
        tone === 'warning' ? 'border-amber-300 bg-amber-50/60' : 'border-slate-300 bg-slate-50'
      }`}
    >
      <div className={`grid size-11 place-items-center rounded-full ${tone === 'warning' ? 'bg-amber-100 text-amber-700' : 'bg-white text-slate-500 ring-1 ring-slate-200'}`}>
        {icon}
      </div>
      <p className="mt-3 text-sm font-semibold text-slate-900">{title}</p>
      {children}
    </div>
  )
}

function PairingCode({ code }: { code: string }) {
  const display = `${code.slice(0, 4)}-${code.slice(4)}`
  return (
    <div className="flex w-full flex-col items-center rounded-2xl bg-slate-50 px-6 py-8 text-center ring-1 ring-slate-200 sm:w-72">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Your pairing code</p>
      <p data-pairing-code={code} aria-label={`Pairing code: ${code.split('').join(' ')}`} className="mt-3 font-mono text-[2rem] font-semibold leading-none tracking-[0.12em] text-slate-900 sm:text-4xl">
        {display}
      </p>
      <CopyButton text={code} label="Copy code" className="mt-5" />
      <p className="mt-4 text-xs text-slate-500">Valid while this page shows it. Enter it within a minute or two.</p>
    </div>
  )
}

function PhoneNumberForm({ name, onBack, onResult }: { name: string; onBack: () => void; onResult: (result: ActionState<InstanceChange>) => void }) {
  const [state, action, pending] = useActionState(pairingCodeAction, NOT_SUBMITTED)
  const [problem, setProblem] = useState<string | undefined>()
  const form = useRef<HTMLFormElement>(null)
  const phoneInput = () => form.current?.elements.namedItem('phoneNumber') as HTMLInputElement | null
  useEffect(() => phoneInput()?.focus(), [])
  useEffect(() => {
    if (state.fieldErrors?.phoneNumber) phoneInput()?.focus()
    if (state.ok) onResult(state)
  }, [state, onResult])
  const error = problem ?? state.fieldErrors?.phoneNumber
  return (
    <form
      ref={form}
      action={action}
      noValidate
      onSubmit={(event) => {
        const found = phoneNumberProblem(phoneInput()?.value ?? '')
        setProblem(found)
        if (found) {
          event.preventDefault()
          phoneInput()?.focus()
        }
      }}
      className="w-full space-y-4 sm:w-72"
    >
      {state.formError && <Notice tone="error">{state.formError}</Notice>}
      <input type="hidden" name="name" value={name} />
      <Field
        id="pairing-phone-number"
        name="phoneNumber"
        label="Phone number"
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        placeholder="+1 555 000 2222"
        defaultValue={typedText(state, 'phoneNumber')}
        key={state.nonce}
        error={error}
        hint="With the country code. Spaces and dashes are fine."
        onChange={() => problem && setProblem(undefined)}
      />
      <div className="flex flex-col gap-2">
        <Button type="submit" pending={pending} pendingLabel="Getting a code…">
          Get pairing code
        </Button>
        <Button variant="ghost" onClick={onBack} disabled={pending}>
          Use a QR code instead
        </Button>
      </div>
    </form>
  )
}

/** Switches between linking by QR code and by phone number. */
function SwitchMethodButton({ icon: Icon, onClick, children }: { icon: typeof QrIcon; onClick: () => void; children: React.ReactNode }) {
  return (
    <button type="button" onClick={onClick} className="mt-6 inline-flex items-center gap-2 rounded-md text-sm font-semibold text-brand-700 hover:text-brand-900">
      <Icon className="size-4" />
      {children}
    </button>
  )
}

/** How long "WhatsApp can't be reached" (or "needs a newer version") stays up through the worker's retry attempts in between. */
const UNREACHABLE_HOLD_MS = 45_000

/**
 * Between failed attempts the worker briefly reports "Reconnecting…" before the next failure; holding
 * the unreachable (or outdated) screen through those keeps the page from flickering between the two.
 */
function useSteadyPhase(state: InstanceLiveState): PairingPhase {
  const phase = pairingPhase(state)
  const [trouble, setTrouble] = useState<{ phase: 'unreachable' | 'outdated'; at: number } | null>(null)
  const [now, setNow] = useState<number | null>(null)
  useEffect(() => {
    const at = Date.now()
    setNow(at)
    if (phase === 'unreachable' || phase === 'outdated') setTrouble({ phase, at })
  }, [phase, state.updatedAt])
  const held = trouble !== null && now !== null && now - trouble.at < UNREACHABLE_HOLD_MS
  return held && (phase === 'reconnecting' || phase === 'starting') ? trouble.phase : phase
}

/**
 * Linking a phone: Connect, then a QR that refreshes by itself as WhatsApp rotates it (or a pairing
 * code for a phone number), and plain words when it expired, WhatsApp is unreachable or no worker runs.
 */
export function PairingPanel({
  name,
  state,
  qrTimeoutMs,
  onResult,
  demo = false,
}: {
  name: string
  state: InstanceLiveState
  qrTimeoutMs: number | null
  onResult: (result: ActionState<InstanceChange>) => void
  demo?: boolean
}) {
  const phase = useSteadyPhase(state)
  const [method, setMethod] = useState<Method>(state.pairingCode ? 'phone' : 'qr')
  const [connecting, startConnecting] = useTransition()
  const connect = () =>
    startConnecting(async () => {
      onResult(await connectAction({ name }))
    })
  const showCode = method === 'phone' && state.pairingCode && (phase === 'qr' || phase === 'starting')
  const showPhoneForm = method === 'phone' && !showCode && phase !== 'unreachable' && phase !== 'outdated' && phase !== 'reconnecting'

  let visual: React.ReactNode
  if (showCode) {
    visual = <PairingCode code={state.pairingCode!} />
  } else if (showPhoneForm) {
    visual = <PhoneNumberForm name={name} onBack={() => setMethod('qr')} onResult={onResult} />
  } else {
    visual = <QrSide phase={phase} state={state} qrTimeoutMs={qrTimeoutMs} connecting={connecting} onConnect={connect} demoScanFor={demo ? name : undefined} />
  }

  const heading: Record<PairingPhase, string> = {
    idle: 'Link a phone',
    starting: 'Link a phone',
    qr: 'Scan the QR code',
    expired: 'The QR code expired',
    stopped: 'Not connected',
    reconnecting: 'Reconnecting',
    unreachable: "WhatsApp can't be reached",
    outdated: 'WhatsApp asks for a newer version',
  }
  const intro: Record<PairingPhase, React.ReactNode> = {
    idle: 'Link the WhatsApp account this instance sends and receives as. It appears on the phone under Linked devices, like WhatsApp Web.',
    starting: 'Getting a QR code from WhatsApp. This usually takes a second or two.',
    qr: 'The code refreshes by itself every few seconds. Leave this page open while you scan.',
    expired: 'Nobody scanned the codes in time, so WhatsApp stopped offering them. Generate a new code when the phone is at hand.',
    stopped: state.statusReason,
    reconnecting: `Reconnecting with the stored session${state.phoneNumber ? ` of +${state.phoneNumber}` : ''}. No new QR code is needed.`,
    unreachable: 'The worker cannot reach WhatsApp right now. It keeps retrying by itself and the session is kept; nothing to do on the phone.',
    outdated: `WhatsApp refused the WhatsApp Web version this service announces as too old. The worker checks for the current version and connects by itself once WhatsApp accepts it; ${
      state.phoneNumber ? 'the session is kept, so no new QR code is needed and there is nothing to do on the phone.' : 'a QR code appears here then.'
    }`,
  }
  const phoneHeading = showCode ? 'Enter the code on your phone' : 'Link with a phone number'

  return (
    <section aria-labelledby="pairing-heading" className="rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
      <div className="grid gap-8 p-5 sm:p-6 md:grid-cols-[minmax(0,1fr)_auto] md:gap-10">
        <div className="min-w-0">
          <h2 id="pairing-heading" className="text-base font-semibold text-slate-900">
            {method === 'phone' && (showCode || showPhoneForm) ? phoneHeading : heading[phase]}
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            {method === 'phone' && (showCode || showPhoneForm)
              ? 'WhatsApp links the device when you type this code on the phone, instead of scanning a QR code.'
              : intro[phase]}
          </p>
          {(phase === 'unreachable' || phase === 'outdated') && state.statusReason && (
            <p className="mt-3 rounded-lg bg-amber-50 px-3 py-2 font-mono text-xs text-amber-900 ring-1 ring-amber-200">{state.statusReason}</p>
          )}
          {(phase === 'idle' || phase === 'starting' || phase === 'qr' || phase === 'expired' || phase === 'stopped') && (
            <Steps steps={method === 'phone' ? PHONE_STEPS : QR_STEPS} />
          )}
          {method === 'qr' && phase !== 'reconnecting' && phase !== 'unreachable' && phase !== 'outdated' && (
            <SwitchMethodButton icon={PhoneIcon} onClick={() => setMethod('phone')}>
              Link with phone number instead
            </SwitchMethodButton>
          )}
          {method === 'phone' && showCode && (
            <SwitchMethodButton icon={QrIcon} onClick={() => setMethod('qr')}>
              Scan a QR code instead
            </SwitchMethodButton>
          )}
        </div>
        <div className="flex justify-center md:justify-end">{visual}</div>
      </div>
    </section>
  )
}

function QrSide({
  phase,
  state,
  qrTimeoutMs,
  connecting,
  onConnect,
  demoScanFor,
}: {
  phase: PairingPhase
  state: InstanceLiveState
  qrTimeoutMs: number | null
  connecting: boolean
  onConnect: () => void
  demoScanFor?: string
}) {
  switch (phase) {
    case 'qr':
      return (
        <div className="flex flex-col items-center">
          <QrCode qr={state.qr!} updatedAt={state.updatedAt} qrTimeoutMs={qrTimeoutMs} />
          {demoScanFor && <ScanWithVirtualPhone name={demoScanFor} />}
        </div>
      )
    case 'starting':
      return (
        <StatusBox icon={<Spinner className="size-5" />} title="Preparing a QR code…">
          <p className="mt-1 text-xs text-slate-500">{state.workersAlive ? 'It appears here by itself.' : 'Waiting for a worker to start.'}</p>
        </StatusBox>
      )
    case 'reconnecting':
      return (
        <StatusBox icon={<Spinner className="size-5" />} title="Reconnecting…">
          <p className="mt-1 text-xs text-slate-500">{state.statusReason ?? 'Using the stored session.'}</p>
        </StatusBox>
      )
    case 'unreachable':
      return (
        <StatusBox tone="warning" icon={<CloudOffIcon className="size-5" />} title="Retrying automatically">
          <p className="mt-1 text-xs text-amber-800">This page updates as soon as WhatsApp answers.</p>
        </StatusBox>
      )
    case 'outdated':
      return (
        <StatusBox tone="warning" icon={<WarningIcon className="size-5" />} title="Waiting for a newer version">
          <p className="mt-1 text-xs text-amber-800">This page updates as soon as WhatsApp lets the session back in.</p>
        </StatusBox>
      )
    case 'expired':
      return (
        <StatusBox icon={<QrIcon className="size-5" />} title="QR code expired">
          <Button className="mt-4" onClick={onConnect} pending={connecting} pendingLabel="Generating…">
            Generate a new code
          </Button>
        </StatusBox>
      )
    case 'stopped':
      return (
        <StatusBox tone="warning" icon={<WarningIcon className="size-5" />} title="Disconnected">
          <Button className="mt-4" onClick={onConnect} pending={connecting} pendingLabel="Connecting…">
            Connect again
          </Button>
        </StatusBox>
      )
    case 'idle':
      return (
        <StatusBox icon={<QrIcon className="size-5" />} title="Your QR code appears here">
          <Button className="mt-4" onClick={onConnect} pending={connecting} pendingLabel="Connecting…">
            Connect
          </Button>
        </StatusBox>
      )
  }
}
