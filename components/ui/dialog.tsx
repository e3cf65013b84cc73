'use client'
import { useEffect, useId, useRef, useState } from 'react'
import { Button } from './button'
import { CloseIcon } from './icons'

/**
 * A modal dialog on the native <dialog> element: focus moves into it and stays there, Escape closes
 * it, and focus returns to what had it before. Render it only while open; unmounting closes it (and
 * drops whatever state its children held).
 *
 * `dismissible={false}` keeps it open on Escape and backdrop clicks (e.g. while something is saving);
 * `closeOnBackdrop={false}` only ignores stray clicks outside (for content one must not lose by accident).
 * `confirmDismiss` (for something shown once, like a new key): Escape and × first ask this question,
 * and close only on "Yes, close"; the footer's own buttons close at once.
 */
export function Dialog({
  title,
  description,
  onClose,
  dismissible = true,
  closeOnBackdrop = dismissible,
  size = 'md',
  confirmDismiss,
  children,
  footer,
}: {
  title: React.ReactNode
  description?: React.ReactNode
  onClose: () => void
  dismissible?: boolean
  closeOnBackdrop?: boolean
  size?: 'md' | 'lg'
  confirmDismiss?: string
  children: React.ReactNode
  footer?: React.ReactNode
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const descriptionId = useId()
  const [asking, setAsking] = useState(false)
  // Escape and × close, or first ask when the content is shown only once.
  const dismiss = () => (confirmDismiss ? setAsking(true) : onClose())
  const latest = useRef({ dismiss, dismissible })
  useEffect(() => {
    latest.current = { dismiss, dismissible }
  })

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    const previouslyFocused = document.activeElement instanceof HTMLElement ? document.activeElement : null
    if (!dialog.open) dialog.showModal()
    const onCancel = (event: Event) => {
      event.preventDefault()
      if (latest.current.dismissible) latest.current.dismiss()
    }
    dialog.addEventListener('cancel', onCancel)
    return () => {
      dialog.removeEventListener('cancel', onCancel)
      if (dialog.open) dialog.close()
      if (previouslyFocused?.isConnected) previouslyFocused.focus()
    }
  }, [])

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onMouseDown={(event) => {
        // A press on the backdrop lands on the <dialog> itself; presses inside land on its content.
        if (event.target === event.currentTarget && dismissible && closeOnBackdrop) dismiss()
      }}
      className={`m-auto max-h-[calc(100dvh-2rem)] w-[calc(100%-1.5rem)] overflow-hidden rounded-2xl bg-white p-0 text-slate-900 shadow-2xl ring-1 ring-slate-900/10 backdrop:bg-slate-900/50 dark:backdrop:bg-black/70 backdrop:backdrop-blur-[2px] open:flex open:flex-col ${
        size === 'lg' ? 'max-w-2xl' : 'max-w-lg'
      }`}
    >
      <div className="flex items-start justify-between gap-4 border-b border-slate-200 px-5 py-4 sm:px-6">
        <div className="min-w-0">
          <h2 id={titleId} className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          {description && (
            <p id={descriptionId} className="mt-1 text-sm text-slate-600">
              {description}
            </p>
          )}
        </div>
        {dismissible && (
          <button type="button" onClick={dismiss} className="-m-1.5 shrink-0 rounded-md p-1.5 text-slate-400 hover:bg-slate-100 hover:text-slate-600">
            <span className="sr-only">Close</span>
            <CloseIcon className="size-5" />
          </button>
        )}
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto px-5 py-5 sm:px-6">{children}</div>
      {asking && confirmDismiss && <DismissQuestion question={confirmDismiss} onStay={() => setAsking(false)} onClose={onClose} />}
      {!asking && footer && <div className="flex flex-col-reverse gap-2 border-t border-slate-200 bg-slate-50 px-5 py-3.5 sm:flex-row sm:justify-end sm:px-6">{footer}</div>}
    </dialog>
  )
}

/** Replaces the footer while a dismissal waits for "have you copied it?"; focus starts on staying. */
function DismissQuestion({ question, onStay, onClose }: { question: string; onStay: () => void; onClose: () => void }) {
  const stay = useRef<HTMLButtonElement>(null)
  useEffect(() => stay.current?.focus(), [])
  return (
    <div role="group" aria-label={question} className="border-t border-amber-200 bg-amber-50 px-5 py-3.5 sm:px-6">
      <p className="text-sm font-medium text-amber-900">{question}</p>
      <div className="mt-3 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button ref={stay} variant="secondary" onClick={onStay}>
          Go back
        </Button>
        <Button onClick={onClose}>Yes, close</Button>
      </div>
    </div>
  )
}

/** The footer of a dialog that does one thing: Cancel (off while it runs), then the button that does it. */
export function DialogButtons({ onCancel, pending, children }: { onCancel: () => void; pending: boolean; children: React.ReactNode }) {
  return (
    <>
      <Button variant="secondary" onClick={onCancel} disabled={pending}>
        Cancel
      </Button>
      {children}
    </>
  )
}
