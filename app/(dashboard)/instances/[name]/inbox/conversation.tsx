'use client'
import { Fragment, useEffect, useRef, useState, useTransition } from 'react'
import { Spinner } from '@/components/ui/button'
import { CloseIcon } from '@/components/ui/icons'
import { refusalText } from '@/lib/actions/action-state'
import type { InboxMessage } from '@/lib/services/inbox/message-view'
import { sendFileAction, sendTextAction } from '../inbox-actions'
import { Avatar } from './chat-list'
import { BackIcon, DocumentIcon, InfoIcon, PaperclipIcon, SendIcon } from './inbox-icons'
import { MessageBubble } from './message-bubble'
import { dayKey, dayLabel } from './time'

export type ConversationState = {
  jid: string
  name: string
  isGroup: boolean
  /** Newest first. */
  messages: InboxMessage[]
  nextCursor: string | null
  loading: boolean
  loadingOlder: boolean
  error: string | null
}

function Composer({ name, chat, connected, onSent }: { name: string; chat: string; connected: boolean; onSent: () => void }) {
  const [text, setText] = useState('')
  const [file, setFile] = useState<File | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [pending, startTransition] = useTransition()
  const fileInput = useRef<HTMLInputElement>(null)
  const textBox = useRef<HTMLTextAreaElement>(null)

  const send = () => {
    if (pending || (!text.trim() && !file)) return
    const sending = { text, file }
    startTransition(async () => {
      setError(null)
      const result = sending.file
        ? await sendFileAction({ name, chat, file: sending.file, caption: sending.text.trim() || undefined })
        : await sendTextAction({ name, chat, text: sending.text })
      if (!result.ok) {
        setError(refusalText(result) ?? 'The message could not be sent.')
        return
      }
      setText('')
      setFile(null)
      if (fileInput.current) fileInput.current.value = ''
      onSent()
      textBox.current?.focus()
    })
  }

  if (!connected) {
    return <p className="border-t border-slate-200 bg-slate-50 px-4 py-3 text-center text-sm text-slate-500">Connect this instance to WhatsApp to send messages.</p>
  }
  return (
    <div className="border-t border-slate-200 bg-slate-50 px-2 py-2 sm:px-3">
      {error && (
        <p role="alert" className="mb-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
          {error}
        </p>
      )}
      {file && (
        <div className="mb-2 flex items-center gap-2 rounded-lg bg-white px-3 py-2 text-sm ring-1 ring-slate-200" data-attachment>
          <DocumentIcon className="size-4 shrink-0 text-brand-600" />
          <span className="min-w-0 flex-1 truncate text-slate-800">{file.name}</span>
          <span className="shrink-0 text-xs text-slate-500">{Math.max(1, Math.round(file.size / 1024))} KB</span>
          <button
            type="button"
            onClick={() => {
              setFile(null)
              setError(null)
            }}
            className="rounded p-0.5 text-slate-500 hover:bg-slate-100 hover:text-slate-800">
            <CloseIcon className="size-4" />
            <span className="sr-only">Remove the attachment</span>
          </button>
        </div>
      )}
      <form
        className="flex items-end gap-1.5"
        onSubmit={(event) => {
          event.preventDefault()
          send()
        }}
      >
        <input
          ref={fileInput}
          type="file"
          className="sr-only"
          tabIndex={-1}
          aria-label="Attach a file"
          onChange={(event) => {
            setFile(event.target.files?.[0] ?? null)
            setError(null)
          }}
        />
        <button type="button" onClick={() => fileInput.current?.click()} className="grid size-10 shrink-0 place-items-center rounded-full text-slate-500 hover:bg-slate-200 hover:text-slate-800">
          <PaperclipIcon className="size-5" />
          <span className="sr-only">Attach a photo or file</span>
        </button>
        <label className="min-w-0 flex-1">
          <span className="sr-only">Message</span>
          <textarea
            ref={textBox}
            rows={1}
            value={text}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
                event.preventDefault()
                send()
              }
            }}
            placeholder={file ? 'Add a caption' : 'Type a message'}
            className="field-sizing-content block max-h-36 min-h-10 w-full resize-none rounded-2xl border-0 bg-white px-4 py-2.5 text-sm text-slate-900 shadow-xs ring-1 ring-slate-200 placeholder:text-slate-400 focus:ring-2 focus:ring-brand-500"
          />
        </label>
        <button
          type="submit"
          disabled={pending || (!text.trim() && !file)}
          className="grid size-10 shrink-0 place-items-center rounded-full bg-brand-600 text-white shadow-sm transition hover:bg-brand-700 disabled:bg-slate-300"
        >
          {pending ? <Spinner /> : <SendIcon className="size-5" />}
          <span className="sr-only">{pending ? 'Sending…' : 'Send'}</span>
        </button>
      </form>
    </div>
  )
}

export function Conversation({
  name,
  conversation,
  connected,
  onBack,
  onOlder,
  onSent,
  onInfo,
}: {
  name: string
  conversation: ConversationState
  connected: boolean
  onBack: () => void
  onOlder: () => void
  onSent: () => void
  onInfo: () => void
}) {
  const sentinel = useRef<HTMLDivElement>(null)
  const scroller = useRef<HTMLDivElement>(null)
  // The top of the history in view: the page before it. The list scrolls in reverse (newest at the
  // bottom), so older pages are added above without moving what is on screen.
  useEffect(() => {
    const element = sentinel.current
    if (!element || !conversation.nextCursor || conversation.loading) return
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && onOlder(), { rootMargin: '200px 0px 0px 0px' })
    observer.observe(element)
    return () => observer.disconnect()
  }, [conversation.nextCursor, conversation.loading, onOlder])

  const messages = conversation.messages
  return (
    <section aria-label={`Conversation with ${conversation.name}`} className="flex min-h-0 min-w-0 flex-1 flex-col">
      <header className="flex items-center gap-3 border-b border-slate-200 bg-white px-2 py-2 sm:px-4">
        <button type="button" onClick={onBack} className="grid size-9 place-items-center rounded-full text-slate-600 hover:bg-slate-100 md:hidden">
          <BackIcon className="size-5" />
          <span className="sr-only">Back to chats</span>
        </button>
        <Avatar name={conversation.name} isGroup={conversation.isGroup} size="sm" />
        <div className="min-w-0 flex-1">
          <h3 className="truncate text-sm font-semibold text-slate-900">{conversation.name}</h3>
          <p className="truncate font-mono text-xs text-slate-500">{conversation.jid}</p>
        </div>
        {conversation.isGroup && (
          <button type="button" onClick={onInfo} className="inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-[13px] font-semibold text-slate-700 hover:bg-slate-100">
            <InfoIcon className="size-4" />
            Group info
          </button>
        )}
      </header>
      <div
        ref={scroller}
        role="log"
        aria-label="Messages"
        aria-busy={conversation.loading || conversation.loadingOlder}
        className="flex min-h-0 flex-1 flex-col-reverse overflow-y-auto bg-[#efeae2] px-3 py-3 sm:px-6 dark:bg-slate-50"
      >
        <div className="space-y-1.5">
          {conversation.nextCursor && (
            <div ref={sentinel} className="flex justify-center py-2 text-slate-500" data-older>
              {conversation.loadingOlder && <Spinner />}
            </div>
          )}
          {!conversation.nextCursor && !conversation.loading && messages.length > 0 && (
            <p className="mx-auto w-fit rounded-md bg-white/80 px-3 py-1 text-xs text-slate-500 shadow-xs">The beginning of the stored history</p>
          )}
          {[...messages].reverse().map((message, index, inOrder) => {
            const previous = inOrder[index - 1]
            const newDay = !previous || dayKey(previous.at) !== dayKey(message.at)
            const sameSender = previous && !newDay && previous.fromMe === message.fromMe && previous.sender === message.sender
            return (
              <Fragment key={message.id}>
                {newDay && (
                  <p className="mx-auto my-2 w-fit rounded-md bg-white px-3 py-1 text-xs font-medium text-slate-600 shadow-xs" suppressHydrationWarning>
                    {dayLabel(message.at)}
                  </p>
                )}
                <MessageBubble message={message} showSender={conversation.isGroup && !sameSender} />
              </Fragment>
            )
          })}
          {conversation.loading && messages.length === 0 && (
            <div className="grid place-items-center py-16 text-slate-500">
              <Spinner className="size-6" />
            </div>
          )}
          {!conversation.loading && messages.length === 0 && (
            <p className="mx-auto mt-10 w-fit rounded-lg bg-white/80 px-4 py-2 text-sm text-slate-500">{conversation.error ?? 'No messages in this chat yet. Say hello below.'}</p>
          )}
        </div>
      </div>
      <Composer
        key={conversation.jid}
        name={name}
        chat={conversation.jid}
        connected={connected}
        onSent={() => {
          // What was just sent is shown where it lands: at the bottom (the list scrolls in reverse, so 0).
          scroller.current?.scrollTo({ top: 0 })
          onSent()
        }}
      />
    </section>
  )
}
