'use client'
import Link from 'next/link'
import { useCallback, useEffect, useMemo, useRef, useState, useTransition } from 'react'
import { PageHeader } from '@/components/dashboard/shell'
import { InstanceStateBadge } from '@/components/dashboard/instance-state-badge'
import { Button, Spinner } from '@/components/ui/button'
import { CodeBlock } from '@/components/ui/code-block'
import { Field } from '@/components/ui/field'
import { PlusIcon } from '@/components/ui/icons'
import { Notice } from '@/components/ui/notice'
import { formatPhone } from '@/lib/demo/format'
import type { DemoChat, DemoContact, DemoFeed, DemoInstance } from '@/lib/demo/virtual-phone'
import { createContactAction, scanQrAction, sendFromContactAction, type ContactMessage } from './actions'
import { Avatar, PhoneScreen, type PendingMessage } from './phone-screen'

const POLL_MS = 1500

type Selection = { instance: string | null; contact: string | null }

/**
 * The feed, re-read every 1.5 s while the tab is visible (and at once when it becomes visible again).
 * A 401 (logged out in another tab) ends the polling for good: only a reload after logging in helps.
 */
function useFeed(initial: DemoFeed | null, selection: Selection) {
  const [feed, setFeed] = useState(initial)
  const [problem, setProblem] = useState<string | null>(initial ? null : 'The WhatsApp simulator is not answering.')
  const etag = useRef<string | null>(null)
  const generation = useRef(0)
  const [signedOut, setSignedOut] = useState(false)

  const refresh = useCallback(async () => {
    const mine = ++generation.current
    const query = new URLSearchParams()
    if (selection.instance) query.set('instance', selection.instance)
    if (selection.contact) query.set('contact', selection.contact)
    try {
      const response = await fetch(`/demo/phone/feed?${query}`, { cache: 'no-store', headers: etag.current ? { 'if-none-match': etag.current } : {} })
      if (mine !== generation.current) return
      if (response.status === 304) return setProblem(null)
      if (response.status === 401) {
        setSignedOut(true)
        return setProblem('Your session ended. Reload the page and log in again.')
      }
      const body = await response.json()
      if (!response.ok) return setProblem(body.message ?? 'The virtual phone could not be read.')
      etag.current = response.headers.get('etag')
      setFeed(body as DemoFeed)
      setProblem(null)
    } catch {
      if (mine === generation.current) setProblem('The demo server is not answering. Is `npm run demo` still running?')
    }
  }, [selection.instance, selection.contact])

  useEffect(() => {
    if (signedOut) return
    etag.current = null
    void refresh()
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refresh()
    }, POLL_MS)
    const onVisible = () => document.visibilityState === 'visible' && void refresh()
    document.addEventListener('visibilitychange', onVisible)
    return () => {
      clearInterval(timer)
      document.removeEventListener('visibilitychange', onVisible)
    }
  }, [refresh, signedOut])

  return { feed, problem, refresh }
}

function StepCard({ step, title, description, children }: { step: number; title: string; description?: React.ReactNode; children: React.ReactNode }) {
  return (
    <section aria-labelledby={`step-${step}`} className="rounded-xl bg-white p-5 shadow-xs ring-1 ring-slate-200 sm:p-6">
      <div className="flex items-start gap-3">
        <span aria-hidden className="grid size-6 shrink-0 place-items-center rounded-full bg-brand-600 text-xs font-semibold text-white">
          {step}
        </span>
        <div className="min-w-0">
          <h2 id={`step-${step}`} className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          {description && <p className="mt-1 text-sm text-slate-600">{description}</p>}
        </div>
      </div>
      <div className="mt-5">{children}</div>
    </section>
  )
}

function InstanceRow({
  instance,
  scanning,
  chatting,
  canChat,
  onScan,
  onChat,
}: {
  instance: DemoInstance
  scanning: boolean
  chatting: boolean
  canChat: boolean
  onScan: () => void
  onChat: () => void
}) {
  let detail: React.ReactNode
  let action: React.ReactNode = null
  if (instance.state === 'open') {
    detail = <>Linked to {formatPhone(instance.phoneNumber ?? '')}</>
    if (canChat)
      action = chatting ? (
        <span className="text-xs font-medium text-brand-700">In the chat →</span>
      ) : (
        <Button variant="secondary" size="sm" onClick={onChat}>
          Chat with it
        </Button>
      )
  } else if (instance.showingQr) {
    detail = 'Showing a QR code, ready to scan'
    action = (
      <Button size="sm" onClick={onScan} pending={scanning} pendingLabel="Scanning…" aria-label={`Scan QR of ${instance.name}`}>
        Scan QR
      </Button>
    )
  } else if (instance.idle) {
    detail = instance.phoneNumber ? `Logged out or stopped (was ${formatPhone(instance.phoneNumber)})` : 'Not connecting yet'
    action = (
      <Link href={`/instances/${encodeURIComponent(instance.name)}`} className="text-[13px] font-semibold text-brand-700 hover:text-brand-900">
        Connect it →
      </Link>
    )
  } else {
    detail = instance.phoneNumber ? `Reconnecting as ${formatPhone(instance.phoneNumber)}…` : 'Preparing a QR code…'
    action = <Spinner className="size-4 text-slate-400" />
  }
  return (
    <li data-instance={instance.name} className="flex items-center gap-3 py-3">
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <Link href={`/instances/${encodeURIComponent(instance.name)}`} className="break-all font-mono text-[13px] font-medium text-slate-900 hover:text-brand-700">
            {instance.name}
          </Link>
          <InstanceStateBadge state={instance.state} />
        </div>
        <p className="mt-0.5 text-xs text-slate-500">{detail}</p>
      </div>
      <div className="shrink-0">{action}</div>
    </li>
  )
}

function AddContactForm({ instance, onAdded, onCancel }: { instance: string | null; onAdded: (phone: string) => void; onCancel: () => void }) {
  const [pending, start] = useTransition()
  const [error, setError] = useState<{ field?: string; message: string } | null>(null)
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        const data = new FormData(event.currentTarget)
        start(async () => {
          const result = await createContactAction({ name: String(data.get('name') ?? ''), phone: String(data.get('phone') ?? '') }, instance ?? undefined)
          if (result.ok) onAdded(result.id!)
          else setError({ field: result.field, message: result.error })
        })
      }}
      className="mt-4 space-y-3 rounded-lg bg-slate-50 p-4 ring-1 ring-slate-200"
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="contact-name" name="name" label="Name" placeholder="Bob" autoComplete="off" error={error?.field === 'name' ? error.message : undefined} autoFocus />
        <Field
          id="contact-phone"
          name="phone"
          label="Number"
          type="tel"
          inputMode="tel"
          placeholder="+44 7700 900123"
          autoComplete="off"
          error={error?.field === 'phone' ? error.message : undefined}
        />
      </div>
      {error && !error.field && <Notice tone="error">{error.message}</Notice>}
      <div className="flex gap-2">
        <Button type="submit" size="sm" pending={pending} pendingLabel="Adding…">
          Add contact
        </Button>
        <Button variant="ghost" size="sm" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
      </div>
    </form>
  )
}

function ContactList({ contacts, selected, onSelect }: { contacts: DemoContact[]; selected: string | null; onSelect: (phone: string) => void }) {
  return (
    <ul aria-label="Contacts" className="grid gap-2 sm:grid-cols-2">
      {contacts.map((contact) => {
        const active = contact.phone === selected
        return (
          <li key={contact.phone}>
            <button
              type="button"
              aria-pressed={active}
              onClick={() => onSelect(contact.phone)}
              className={`flex w-full items-center gap-3 rounded-lg px-3 py-2.5 text-left ring-1 transition ${
                active ? 'bg-brand-50 ring-brand-600' : 'bg-white ring-slate-200 hover:bg-slate-50'
              }`}
            >
              <Avatar name={contact.name} className={active ? 'bg-brand-600 text-white' : 'bg-slate-200 text-slate-700'} />
              <span className="min-w-0">
                <span className="block truncate text-sm font-medium text-slate-900">{contact.name}</span>
                <span className="block truncate font-mono text-xs text-slate-500">{formatPhone(contact.phone)}</span>
              </span>
            </button>
          </li>
        )
      })}
    </ul>
  )
}

function ApiHint({ chat, apiBase }: { chat: DemoChat; apiBase: string }) {
  const curl = `curl -X POST ${apiBase}/api/v1/instance/${chat.instance}/message/sendText \\
  -H "Authorization: Bearer $SAGE_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"number": "${chat.contact.phone}", "text": "Hello ${chat.contact.name}, from the API!"}'`
  return (
    <>
      <CodeBlock title={`sendText to ${chat.contact.name}`} code={curl} label="curl to the contact" />
      <p className="mt-3 text-sm text-slate-600">
        Put a key from{' '}
        <Link href="/keys" className="font-semibold text-brand-700 hover:text-brand-900">
          API keys
        </Link>{' '}
        in <code className="font-mono text-[13px]">SAGE_API_KEY</code> and run it: the message pops up on {chat.contact.name}&apos;s phone, and {chat.contact.name}&apos;s
        phone sends delivery and read receipts back (watch the status on the{' '}
        <Link href={`/instances/${encodeURIComponent(chat.instance)}`} className="font-semibold text-brand-700 hover:text-brand-900">
          instance page
        </Link>
        ).
      </p>
    </>
  )
}

export function VirtualPhone({
  initialFeed,
  selection: initialSelection,
  ownPhone: initialOwnPhone,
  apiBase,
}: {
  initialFeed: DemoFeed | null
  selection: Selection
  ownPhone: string
  apiBase: string
}) {
  const [selection, setSelection] = useState<Selection>(initialSelection)
  const { feed, problem, refresh } = useFeed(initialFeed, selection)
  const [ownPhone, setOwnPhone] = useState(formatPhone(initialOwnPhone))
  const [scanning, setScanning] = useState<string | null>(null)
  const [scanResult, setScanResult] = useState<{ tone: 'success' | 'error'; message: string; field?: string; instance: string } | null>(null)
  const [addingContact, setAddingContact] = useState(false)
  const [pending, setPending] = useState<Record<string, PendingMessage[]>>({})
  const [sendError, setSendError] = useState<string | null>(null)

  const chat = feed?.chat ?? null
  const contacts = feed?.contacts ?? []
  const instances = feed?.instances ?? []
  const selectedContact = chat?.contact.phone ?? selection.contact ?? contacts[0]?.phone ?? null
  const pairedInstances = instances.filter((instance) => instance.phoneNumber)
  const chatKey = chat ? `${chat.instance}|${chat.contact.phone}` : ''

  // The address bar keeps the chosen chat, so a reload (or a shared link) opens it again.
  useEffect(() => {
    const url = new URL(window.location.href)
    for (const key of ['instance', 'contact'] as const) {
      if (selection[key]) url.searchParams.set(key, selection[key]!)
      else url.searchParams.delete(key)
    }
    window.history.replaceState(window.history.state, '', url)
  }, [selection])

  // A message the feed now lists is no longer pending.
  useEffect(() => {
    if (!chat) return
    const known = new Set(chat.messages.map((message) => message.id))
    setPending((current) => {
      const list = current[chatKey]
      if (!list?.some((message) => message.id && known.has(message.id))) return current
      return { ...current, [chatKey]: list.filter((message) => !(message.id && known.has(message.id))) }
    })
  }, [chat, chatKey])

  const scan = async (name: string) => {
    setScanning(name)
    setScanResult(null)
    try {
      const result = await scanQrAction(name, { phone: ownPhone })
      setScanResult(result.ok ? { tone: 'success', message: result.message ?? 'Scanned.', instance: name } : { tone: 'error', message: result.error, field: result.field, instance: name })
      if (result.ok) setSelection((current) => ({ ...current, instance: name }))
    } catch {
      setScanResult({ tone: 'error', message: 'The scan failed. Reload the page and try again.', instance: name })
    } finally {
      setScanning(null)
      void refresh()
    }
  }

  const send = async (content: ContactMessage) => {
    if (!chat) return
    if (content.kind === 'vote') {
      // A vote changes the poll's bubble (once the instance counted it), not the list of messages.
      setSendError(null)
      const result = await sendFromContactAction(chat.instance, chat.contact.phone, content).catch(() => ({ ok: false as const, error: 'Not sent: the demo server did not answer.' }))
      if (!result.ok) setSendError(result.error)
      void refresh()
      return
    }
    const key = chatKey
    const local: PendingMessage = {
      key: Math.random().toString(36).slice(2),
      kind: content.kind === 'photo' ? 'image' : content.kind,
      text: content.kind === 'text' ? content.text : undefined,
      at: Date.now(),
      ticks: 'pending',
    }
    setSendError(null)
    setPending((current) => ({ ...current, [key]: [...(current[key] ?? []), local] }))
    const update = (change: Partial<PendingMessage> | null) =>
      setPending((current) => ({
        ...current,
        [key]: change === null ? (current[key] ?? []).filter((message) => message.key !== local.key) : (current[key] ?? []).map((message) => (message.key === local.key ? { ...message, ...change } : message)),
      }))
    try {
      const result = await sendFromContactAction(chat.instance, chat.contact.phone, content)
      if (result.ok) update({ id: result.id, ticks: result.queued ? 'queued' : 'sent' })
      else {
        update(null)
        setSendError(result.error)
      }
    } catch {
      update(null)
      setSendError('Not sent: the demo server did not answer.')
    }
    void refresh()
  }

  const paired = useMemo(() => instances.find((instance) => instance.name === chat?.instance), [instances, chat?.instance])

  return (
    <>
      <PageHeader
        title="Virtual phone"
        description="Try SAGE-API without a phone or internet: link an instance by scanning its QR code here, then chat with it as a simulated contact."
      />
      {problem && (
        <div className="mb-6">
          <Notice tone="warning">{problem}</Notice>
        </div>
      )}
      {/* Phones: scan, contacts, the phone, the API. Desktop: the steps on the left, the phone beside them. */}
      <div className="grid grid-cols-[minmax(0,1fr)] items-start gap-6 lg:grid-cols-[minmax(0,1fr)_340px] lg:grid-rows-[auto_auto_1fr] lg:gap-x-8">
        <div className="lg:col-start-1 lg:row-start-1">
          <StepCard
            step={1}
            title="Scan an instance's QR code"
            description="Your virtual phone is the WhatsApp account the instance sends as. Scanning links the instance to it, as Linked devices → Link a device does on a real phone."
          >
            <div className="sm:max-w-xs">
              <Field
                id="own-phone"
                label="Your phone's number"
                type="tel"
                inputMode="tel"
                value={ownPhone}
                onChange={(event) => setOwnPhone(event.target.value)}
                error={scanResult?.field === 'phone' ? scanResult.message : undefined}
                hint="Made up. Change it to link another number."
              />
            </div>
            {instances.length === 0 ? (
              <div className="mt-5 rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-600">
                No instances yet.{' '}
                <Link href="/instances" className="font-semibold text-brand-700 hover:text-brand-900">
                  Create one
                </Link>
                , click Connect on its page, and come back here to scan its QR code.
              </div>
            ) : (
              <ul aria-label="Your instances" className="mt-4 divide-y divide-slate-100 border-t border-slate-100">
                {instances.map((instance) => (
                  <InstanceRow
                    key={instance.name}
                    instance={instance}
                    scanning={scanning === instance.name}
                    chatting={chat?.instance === instance.name}
                    canChat={pairedInstances.length > 1}
                    onScan={() => void scan(instance.name)}
                    onChat={() => setSelection((current) => ({ ...current, instance: instance.name }))}
                  />
                ))}
              </ul>
            )}
            {scanResult && !scanResult.field && !(scanResult.tone === 'success' && instances.some((instance) => instance.name === scanResult.instance && instance.state === 'open')) && (
              <div className="mt-4">
                <Notice tone={scanResult.tone}>{scanResult.message}</Notice>
              </div>
            )}
          </StepCard>
        </div>
        <div className="lg:col-start-1 lg:row-start-2">
          <StepCard
            step={2}
            title="Chat as a contact"
            description="Contacts are other simulated WhatsApp accounts. Pick one and the virtual phone becomes theirs, chatting with your instance."
          >
            <ContactList contacts={contacts} selected={selectedContact} onSelect={(phone) => setSelection((current) => ({ ...current, contact: phone }))} />
            {addingContact ? (
              <AddContactForm
                instance={chat?.instance ?? selection.instance ?? null}
                onAdded={(phone) => {
                  setAddingContact(false)
                  setSelection((current) => ({ ...current, contact: phone }))
                }}
                onCancel={() => setAddingContact(false)}
              />
            ) : (
              <button
                type="button"
                onClick={() => setAddingContact(true)}
                className="mt-3 inline-flex items-center gap-1.5 text-sm font-semibold text-brand-700 hover:text-brand-900"
              >
                <PlusIcon className="size-4" />
                Add a contact
              </button>
            )}
          </StepCard>
        </div>
        <div className="lg:sticky lg:top-6 lg:col-start-2 lg:row-span-3 lg:row-start-1">
          <PhoneScreen
            chat={chat}
            instance={paired ?? null}
            contact={contacts.find((contact) => contact.phone === selectedContact) ?? null}
            pending={pending[chatKey] ?? []}
            sendError={sendError}
            onDismissError={() => setSendError(null)}
            onSend={(content) => void send(content)}
          />
        </div>
        <div className="lg:col-start-1 lg:row-start-3">
          <StepCard step={3} title="Send from the API" description={chat ? `The API sends as your instance; ${chat.contact.name} receives it here.` : undefined}>
            {chat ? (
              <ApiHint chat={chat} apiBase={apiBase} />
            ) : (
              <p className="text-sm text-slate-600">Once an instance is linked, the curl command to message {contacts.find((c) => c.phone === selectedContact)?.name ?? 'the contact'} appears here.</p>
            )}
          </StepCard>
        </div>
      </div>
    </>
  )
}
