'use client'
import { useActionState, useEffect, useId, useMemo, useRef, useState, useTransition } from 'react'
import { Button } from '@/components/ui/button'
import { Dialog } from '@/components/ui/dialog'
import { LogOutIcon, TrashIcon, WarningIcon } from '@/components/ui/icons'
import { Notice } from '@/components/ui/notice'
import type { InstanceLiveState } from '@/lib/services/instances/lifecycle'
import type { DeleteState, InstanceActionResult } from './action-state'
import { deleteAction, logoutAction, restartAction } from './actions'
import { RefreshIcon } from './page-icons'
import { formatPhone } from './pairing-phase'

type Open = 'restart' | 'logout' | 'delete' | null

/** A yes/no confirmation whose confirm button runs `run` and keeps the dialog open (and undismissable) meanwhile. */
function ConfirmDialog({
  title,
  children,
  confirmLabel,
  pendingLabel,
  variant,
  run,
  onClose,
  onDone,
}: {
  title: string
  children: React.ReactNode
  confirmLabel: string
  pendingLabel: string
  variant: 'primary' | 'danger'
  run: () => Promise<InstanceActionResult>
  onClose: () => void
  onDone: (result: InstanceActionResult) => void
}) {
  const [pending, startTransition] = useTransition()
  const [error, setError] = useState<string>()
  return (
    <Dialog
      title={title}
      onClose={onClose}
      dismissible={!pending}
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button
            variant={variant}
            autoFocus
            pending={pending}
            pendingLabel={pendingLabel}
            onClick={() =>
              startTransition(async () => {
                const result = await run()
                if (result.ok) onDone(result)
                else setError(result.error)
              })
            }
          >
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div className="space-y-4 text-sm text-slate-600">
        {error && <Notice tone="error">{error}</Notice>}
        {children}
      </div>
    </Dialog>
  )
}

function DeleteDialog({ name, state, onClose }: { name: string; state: InstanceLiveState; onClose: () => void }) {
  const deleteThis = useMemo(() => deleteAction.bind(null, name), [name])
  const [result, action, pending] = useActionState<DeleteState, FormData>(deleteThis, {})
  const [typed, setTyped] = useState('')
  const formId = useId()
  const input = useRef<HTMLInputElement>(null)
  // After the dialog has opened (showModal focuses its first button): the keyboard goes to the field.
  useEffect(() => {
    const frame = requestAnimationFrame(() => input.current?.focus())
    return () => cancelAnimationFrame(frame)
  }, [])
  useEffect(() => {
    if (result.fieldError) input.current?.focus()
  }, [result])
  const linked = formatPhone(state.phoneNumber)
  const error = result.fieldError
  return (
    <Dialog
      title={`Delete ${name}?`}
      onClose={onClose}
      dismissible={!pending}
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant="danger" pending={pending} pendingLabel="Deleting…" disabled={typed.trim() !== name}>
            Delete instance
          </Button>
        </>
      }
    >
      <form id={formId} action={action} noValidate className="space-y-4 text-sm text-slate-600">
        {result.formError && <Notice tone="error">{result.formError}</Notice>}
        <div role="note" className="flex gap-3 rounded-lg bg-red-50 px-4 py-3 text-red-900 ring-1 ring-red-200">
          <WarningIcon className="mt-0.5 size-5 shrink-0 text-red-600" />
          <p>
            {linked ? (
              <>
                The device is logged out first, so <span className="font-medium">{linked}</span> loses this linked device.{' '}
              </>
            ) : null}
            The instance and its message history are deleted, and API calls to <code className="font-mono text-[13px]">/instance/{name}/…</code> answer 404.
            This can&apos;t be undone.
          </p>
        </div>
        <div>
          <label htmlFor="delete-confirmation" className="block text-sm font-medium text-slate-800">
            Type <span className="font-mono text-[13px] font-semibold">{name}</span> to confirm
          </label>
          <input
            ref={input}
            id="delete-confirmation"
            name="confirmation"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'delete-confirmation-error' : undefined}
            className={`mt-1.5 block w-full rounded-lg border bg-white px-3 py-2.5 font-mono text-sm text-slate-900 focus:outline-none focus:ring-2 ${
              error ? 'border-red-400 focus:ring-red-500/20' : 'border-slate-300 focus:border-red-500 focus:ring-red-500/20'
            }`}
          />
          {error && (
            <p id="delete-confirmation-error" className="mt-1.5 text-sm text-red-600">
              {error}
            </p>
          )}
        </div>
      </form>
    </Dialog>
  )
}

/** Restart, Log out and Delete, each behind a confirmation; which ones show depends on the state. */
export function InstanceActions({ name, state, onResult }: { name: string; state: InstanceLiveState; onResult: (result: InstanceActionResult) => void }) {
  const [open, setOpen] = useState<Open>(null)
  const paired = state.state === 'open' || Boolean(state.phoneNumber)
  const linked = formatPhone(state.phoneNumber)
  const done = (result: InstanceActionResult) => {
    setOpen(null)
    onResult(result)
  }
  return (
    <div className="flex flex-wrap gap-2">
      {paired && (
        <Button variant="secondary" onClick={() => setOpen('restart')}>
          <RefreshIcon className="size-4 text-slate-400" />
          Restart
        </Button>
      )}
      {paired && (
        <Button variant="secondary" onClick={() => setOpen('logout')}>
          <LogOutIcon className="size-4 text-slate-400" />
          Log out
        </Button>
      )}
      <Button variant="secondary" onClick={() => setOpen('delete')} className="text-red-700! hover:bg-red-50!">
        <TrashIcon className="size-4 text-red-500" />
        Delete
      </Button>

      {open === 'restart' && (
        <ConfirmDialog
          title="Restart the connection?"
          confirmLabel="Restart"
          pendingLabel="Restarting…"
          variant="primary"
          run={() => restartAction(name)}
          onClose={() => setOpen(null)}
          onDone={done}
        >
          <p>The connection to WhatsApp closes and reopens with the stored session. The phone stays linked and no new QR code is needed.</p>
          <p>Messages sent meanwhile wait and go out once it is back, usually within a few seconds.</p>
        </ConfirmDialog>
      )}
      {open === 'logout' && (
        <ConfirmDialog
          title="Log out of WhatsApp?"
          confirmLabel="Log out"
          pendingLabel="Logging out…"
          variant="danger"
          run={() => logoutAction(name)}
          onClose={() => setOpen(null)}
          onDone={done}
        >
          <p>
            This unlinks the device{linked ? <> from <span className="font-medium text-slate-800">{linked}</span></> : null}: it disappears from the phone&apos;s
            Linked devices and the API can no longer send as this number.
          </p>
          <p>The instance stays, with its name, API keys and webhooks. Link a phone again whenever you like.</p>
        </ConfirmDialog>
      )}
      {open === 'delete' && <DeleteDialog name={name} state={state} onClose={() => setOpen(null)} />}
    </div>
  )
}
