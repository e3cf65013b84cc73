'use client'
import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import { CloseIcon } from '@/components/ui/icons'
import { formatPhone } from '@/lib/demo/format'
import type { ChatMessage, ChatTicks, DemoChat, DemoContact, DemoInstance } from '@/lib/demo/virtual-phone'
import type { ContactMessage } from './actions'
import { LinkCard, PollCard, VoicePlayer } from './message-parts'

/** A message the contact just sent from this page, shown until the feed lists it. */
export type PendingMessage = { key: string; id?: string; kind: 'text' | 'image' | 'location'; text?: string; at: number; ticks: 'pending' | 'queued' | 'sent' }

type Icon = { className?: string }
const svg = (className: string | undefined, children: React.ReactNode, viewBox = '0 0 24 24') => (
  <svg aria-hidden className={className} viewBox={viewBox} fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
    {children}
  </svg>
)
const PinIcon = ({ className = 'size-5' }: Icon) => svg(className, <><path d="M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21Z" /><circle cx="12" cy="9.5" r="2.5" /></>)
const ImageIcon = ({ className = 'size-5' }: Icon) => svg(className, <><rect x="3" y="4.5" width="18" height="15" rx="2" /><circle cx="8.5" cy="9.5" r="1.5" /><path d="m21 15.5-5-5-9 9" /></>)
const SendIcon = ({ className = 'size-5' }: Icon) => svg(className, <path d="M4.5 12 3 4.5l18 7.5-18 7.5L4.5 12Zm0 0h7" />)
const DocIcon = ({ className = 'size-5' }: Icon) => svg(className, <><path d="M14 3.5H7a2 2 0 0 0-2 2v13a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8.5l-5-5Z" /><path d="M14 3.5v5h5" /></>)

/** A name's initial; a bare number gets a person outline (as WhatsApp shows unknown numbers). */
export function Avatar({ name, className = '' }: { name: string; className?: string }) {
  const letter = /^[+\d\s]/.test(name) ? null : name.trim().slice(0, 1).toUpperCase()
  return (
    <span aria-hidden className={`grid size-9 shrink-0 place-items-center rounded-full text-sm font-semibold ${className}`}>
      {letter ?? (
        <svg viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round">
          <circle cx="12" cy="8.5" r="3.5" />
          <path d="M5 19.5a7 7 0 0 1 14 0" />
        </svg>
      )}
    </span>
  )
}

const TICK_LABEL: Record<ChatTicks, string> = { pending: 'Sending', queued: 'Waiting for the instance to come online', sent: 'Sent', delivered: 'Delivered', read: 'Read' }

function Ticks({ ticks }: { ticks: ChatTicks }) {
  const label = TICK_LABEL[ticks]
  if (ticks === 'pending' || ticks === 'queued') {
    return (
      <span role="img" aria-label={label} title={label} data-ticks={ticks} className="inline-flex text-slate-400">
        {svg('size-3.5', <><circle cx="12" cy="12" r="8" /><path d="M12 8v4.5l3 1.5" /></>)}
      </span>
    )
  }
  const color = ticks === 'read' ? 'text-sky-500' : 'text-slate-400'
  return (
    <span role="img" aria-label={label} title={label} data-ticks={ticks} className={`inline-flex ${color}`}>
      <svg aria-hidden viewBox="0 0 18 12" className="h-3 w-[18px]" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round">
        {ticks === 'sent' ? (
          <path d="m3 6.5 3 3 6.5-7" />
        ) : (
          <>
            <path d="m1 6.5 3 3 6.5-7" />
            <path d="m7.5 9.5 6.5-7" />
            <path d="m6.8 8.8.7.7" />
          </>
        )}
      </svg>
    </span>
  )
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })

function Time({ at }: { at: number }) {
  return (
    <time dateTime={new Date(at).toISOString()} suppressHydrationWarning className="tabular-nums">
      {clock.format(new Date(at))}
    </time>
  )
}

type Shown = Pick<ChatMessage, 'direction' | 'kind' | 'text' | 'image' | 'location' | 'fileName' | 'at' | 'ticks' | 'poll' | 'voice' | 'preview' | 'edited'> & { key: string; id?: string }

function Bubble({ message, onVote }: { message: Shown; onVote: (options: string[]) => void }) {
  const out = message.direction === 'out'
  const meta = (
    <span className={`ml-2 inline-flex translate-y-1 items-center gap-1 whitespace-nowrap align-bottom text-[11px] ${message.image && !message.text && message.kind !== 'sticker' ? 'text-white drop-shadow' : 'text-slate-500'}`}>
      {message.edited && <span data-testid="edited">Edited</span>}
      <Time at={message.at} />
      {out && message.ticks && <Ticks ticks={message.ticks} />}
    </span>
  )
  let body: React.ReactNode
  switch (message.kind) {
    case 'image':
      body = (
        <>
          {message.image ? (
            // eslint-disable-next-line @next/next/no-img-element -- a data URL from the simulator
            <img src={message.image} alt={message.text ?? 'Photo'} className="block max-h-64 w-full rounded-md object-cover" />
          ) : (
            <span className="grid h-28 w-56 max-w-full place-items-center rounded-md bg-slate-200/70 text-slate-500">
              <ImageIcon className="size-7" />
              <span className="sr-only">Photo</span>
            </span>
          )}
          {message.text ? (
            <p className="px-1 pt-1.5 text-[14px] leading-snug text-slate-900">
              {message.text}
              {meta}
            </p>
          ) : (
            <span className="absolute bottom-2 right-3">{meta}</span>
          )}
        </>
      )
      break
    case 'location':
      body = (
        <>
          <div aria-hidden className="relative h-24 w-56 max-w-full overflow-hidden rounded-md bg-[linear-gradient(135deg,#d1fae5_25%,#ecfdf5_25%,#ecfdf5_50%,#d1fae5_50%,#d1fae5_75%,#ecfdf5_75%)] bg-[length:24px_24px]">
            <PinIcon className="absolute left-1/2 top-1/2 size-8 -translate-x-1/2 -translate-y-3/4 fill-red-500 text-red-700" />
          </div>
          <p className="px-1 pt-1.5 text-[14px] leading-snug text-slate-900">
            <span className="font-medium">{message.location?.name ?? 'Location'}</span>
            {message.location?.address && <span className="block text-xs text-slate-500">{message.location.address}</span>}
            <span className="block font-mono text-[11px] text-slate-500">
              {message.location?.latitude.toFixed(4)}, {message.location?.longitude.toFixed(4)}
              {meta}
            </span>
          </p>
        </>
      )
      break
    case 'document':
      body = (
        <p className="flex items-center gap-2 px-1 text-[14px] text-slate-900">
          <DocIcon className="size-6 shrink-0 text-slate-500" />
          <span className="min-w-0 break-all">
            {message.fileName}
            {meta}
          </span>
        </p>
      )
      break
    case 'poll':
      body = message.poll && <PollCard poll={message.poll} meta={meta} onVote={onVote} />
      break
    case 'voice':
      body = message.voice && <VoicePlayer voice={message.voice} meta={meta} />
      break
    case 'sticker':
      body = (
        <>
          {message.image ? (
            // eslint-disable-next-line @next/next/no-img-element -- a data URL from the simulator
            <img src={message.image} alt="Sticker" data-testid="sticker" className="block size-32 object-contain" />
          ) : (
            <span className="grid size-32 place-items-center text-3xl" role="img" aria-label="Sticker">🏷️</span>
          )}
          <span className="block text-right">{meta}</span>
        </>
      )
      break
    case 'deleted':
      body = (
        <p data-testid="deleted" className="flex items-center gap-1.5 px-1 text-[14px] italic text-slate-500">
          {svg('size-4 shrink-0', <><circle cx="12" cy="12" r="8.5" /><path d="m6 18 12-12" /></>)}
          {message.text}
          {meta}
        </p>
      )
      break
    case 'reaction':
      body = (
        <p className="px-1 text-[14px] text-slate-700">
          Reacted {message.text}
          {meta}
        </p>
      )
      break
    default:
      body = (
        <>
          {message.preview && <LinkCard preview={message.preview} />}
          <p className="whitespace-pre-wrap break-words px-1 text-[14px] leading-snug text-slate-900">
            {message.text}
            {meta}
          </p>
        </>
      )
  }
  return (
    <li data-direction={message.direction} data-message-id={message.id} className={`flex ${out ? 'justify-end' : 'justify-start'}`}>
      <div
        data-kind={message.kind}
        className={`relative max-w-[85%] rounded-lg px-1.5 py-1.5 ${message.kind === 'sticker' ? '' : `shadow-[0_1px_0.5px_rgba(0,0,0,0.13)] ${out ? 'rounded-tr-none bg-[#d9fdd3]' : 'rounded-tl-none bg-white'}`} ${
          message.kind === 'image' || message.kind === 'location' ? 'p-1' : ''
        }`}
      >
        <span className="sr-only">{out ? 'You:' : 'Them:'} </span>
        {body}
      </div>
    </li>
  )
}

function ScreenMessage({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-1 flex-col items-center justify-center bg-[#efeae2] px-8 text-center">
      <p className="rounded-lg bg-white/90 px-4 py-3 text-sm text-slate-700 shadow-sm">
        <strong className="block font-semibold text-slate-900">{title}</strong>
        <span className="mt-1 block">{children}</span>
      </p>
    </div>
  )
}

function Composer({ disabled, onSend }: { disabled: boolean; onSend: (content: ContactMessage) => void }) {
  const [text, setText] = useState('')
  const button = 'grid size-10 shrink-0 place-items-center rounded-full text-slate-500 transition hover:bg-slate-200 hover:text-slate-700 disabled:opacity-40'
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault()
        if (!text.trim() || disabled) return
        onSend({ kind: 'text', text })
        setText('')
      }}
      className="flex items-center gap-1 bg-[#f0f2f5] px-2 py-2"
    >
      <button type="button" className={button} disabled={disabled} onClick={() => onSend({ kind: 'location' })} aria-label="Send a location" title="Send a location">
        <PinIcon />
      </button>
      <button type="button" className={button} disabled={disabled} onClick={() => onSend({ kind: 'photo' })} aria-label="Send a photo" title="Send a sample photo">
        <ImageIcon />
      </button>
      <label htmlFor="phone-message" className="sr-only">
        Message
      </label>
      <input
        id="phone-message"
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder={disabled ? 'Link an instance first' : 'Message'}
        autoComplete="off"
        disabled={disabled}
        className="min-w-0 flex-1 rounded-full border-0 bg-white px-4 py-2.5 text-[14px] text-slate-900 shadow-xs placeholder:text-slate-400 focus:outline-none focus:ring-2 focus:ring-brand-600/30 disabled:bg-white/60"
      />
      <button
        type="submit"
        disabled={disabled || !text.trim()}
        aria-label="Send"
        className="grid size-10 shrink-0 place-items-center rounded-full bg-brand-600 text-white shadow-sm transition hover:bg-brand-700 disabled:bg-brand-600/50"
      >
        <SendIcon className="size-5" />
      </button>
    </form>
  )
}

/**
 * The contact's phone, WhatsApp-like: the chat with the number the instance is linked to, the
 * contact's messages on the right with their ticks, the instance's on the left.
 */
export function PhoneScreen({
  chat,
  instance,
  contact,
  pending,
  sendError,
  onDismissError,
  onSend,
}: {
  chat: DemoChat | null
  instance: DemoInstance | null
  contact: DemoContact | null
  pending: PendingMessage[]
  sendError: string | null
  onDismissError: () => void
  onSend: (content: ContactMessage) => void
}) {
  const list = useRef<HTMLDivElement>(null)
  const stick = useRef(true)
  const messages: Shown[] = [
    ...(chat?.messages ?? []).map((message) => ({ ...message, key: message.id + message.direction })),
    ...pending.map((message) => ({ ...message, direction: 'out' as const })),
  ]
  const count = messages.length

  // Follow new messages, unless the person scrolled up to read.
  useLayoutEffect(() => {
    if (stick.current && list.current) list.current.scrollTop = list.current.scrollHeight
  }, [count, chat?.instance, chat?.contact.phone])
  useEffect(() => {
    stick.current = true
  }, [chat?.instance, chat?.contact.phone])

  const online = instance?.state === 'open'
  const title = chat ? (instance?.pushName ?? formatPhone(chat.ownPhone)) : 'WhatsApp'
  return (
    <figure className="mx-auto w-full max-w-[340px]">
      <figcaption className="mb-3 text-center text-sm text-slate-600">
        {contact ? (
          <>
            <span className="font-semibold text-slate-900">{contact.name}&apos;s phone</span>
            <span className="font-mono text-xs"> · {formatPhone(contact.phone)}</span>
          </>
        ) : (
          'A contact’s phone'
        )}
      </figcaption>
      <div className="palette-fixed rounded-[2.6rem] bg-slate-900 p-2.5 shadow-xl ring-1 ring-slate-950/10">
        <div role="region" aria-label={contact ? `${contact.name}'s phone` : 'Virtual phone'} className="flex h-[600px] flex-col overflow-hidden rounded-[2.1rem] bg-white">
          <div className="flex items-center justify-between bg-brand-700 px-6 pb-1 pt-2.5 text-[11px] font-semibold text-white/90">
            <span>9:41</span>
            <span aria-hidden className="h-4 w-20 rounded-full bg-slate-900" />
            <span aria-hidden className="flex items-center gap-1">
              <span className="inline-block h-2 w-3 rounded-sm bg-white/90" />
              <span className="inline-block h-2 w-4 rounded-sm ring-1 ring-white/90" />
            </span>
          </div>
          <header className="flex items-center gap-3 bg-brand-700 px-4 pb-3 pt-1.5 text-white">
            <Avatar name={chat ? title : 'W'} className="bg-white/20 text-white" />
            <div className="min-w-0">
              <p className="truncate text-[15px] font-semibold leading-tight">{title}</p>
              <p data-testid="phone-presence" className="truncate text-xs text-white/80">
                {chat ? (online ? `online · ${chat.instance}` : `offline · ${chat.instance}`) : 'No instance linked yet'}
              </p>
            </div>
          </header>
          {!chat ? (
            <ScreenMessage title="Nobody to chat with yet">Scan an instance&apos;s QR code (step 1). Then this phone can message it.</ScreenMessage>
          ) : (
            <div
              ref={list}
              onScroll={(event) => {
                const box = event.currentTarget
                stick.current = box.scrollHeight - box.scrollTop - box.clientHeight < 40
              }}
              className="flex-1 overflow-y-auto bg-[#efeae2] px-3 py-3"
            >
              <p className="mx-auto mb-3 w-fit max-w-[90%] rounded-md bg-[#ffeecd] px-3 py-1.5 text-center text-[11.5px] leading-snug text-slate-700 shadow-xs">
                Messages you send here arrive at <span className="font-mono">{chat.instance}</span> and its webhooks. Blue ticks: your app marked them read.
              </p>
              {messages.length === 0 ? (
                <p className="mt-10 text-center text-sm text-slate-500">Say hi to {title}.</p>
              ) : (
                <ol aria-label={`Chat with ${title}`} className="space-y-1.5">
                  {messages.map((message) => (
                    <Bubble key={message.key} message={message} onVote={(options) => message.id && onSend({ kind: 'vote', pollId: message.id, options })} />
                  ))}
                </ol>
              )}
            </div>
          )}
          {sendError && (
            <div role="alert" className="flex items-start gap-2 bg-red-50 px-3 py-2 text-xs text-red-800">
              <span className="flex-1">{sendError}</span>
              <button type="button" onClick={onDismissError} className="rounded p-0.5 opacity-70 hover:opacity-100">
                <span className="sr-only">Dismiss</span>
                <CloseIcon className="size-3.5" />
              </button>
            </div>
          )}
          <Composer disabled={!chat} onSend={onSend} />
        </div>
      </div>
    </figure>
  )
}
