'use client'
import { useState } from 'react'
import { Button } from '@/components/ui/button'
import { ConfirmDialog } from '@/components/ui/confirm-dialog'
import { LogOutIcon, TrashIcon, WarningIcon } from '@/components/ui/icons'
import type { InstanceLiveState } from '@/lib/services/instances/lifecycle'
import { deleteAction, logoutAction, restartAction, type InstanceChange } from './actions'
import { RefreshIcon } from './page-icons'
import { formatPhone } from './pairing-phase'

type Open = 'restart' | 'logout' | 'delete' | null

/** Restart and Log out: asked the same way, each running its own action. */
const CONNECTION_CHANGES = {
  restart: { title: 'Restart the connection?', confirmLabel: 'Restart', pendingLabel: 'Restarting…', tone: 'primary', run: restartAction },
  logout: { title: 'Log out of WhatsApp?', confirmLabel: 'Log out', pendingLabel: 'Logging out…', tone: 'danger', run: logoutAction },
} as const

/** Restart, Log out and Delete, each behind a confirmation; which ones show depends on the state. */
export function InstanceActions({
  name,
  state,
  onChange,
}: {
  name: string
  state: InstanceLiveState
  onChange: (change: InstanceChange) => void
}) {
  const [open, setOpen] = useState<Open>(null)
  const paired = state.state === 'open' || Boolean(state.phoneNumber)
  const linked = formatPhone(state.phoneNumber)
  const close = () => setOpen(null)
  const done = (change: InstanceChange) => {
    setOpen(null)
    onChange(change)
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

      {(open === 'restart' || open === 'logout') && (
        <ConfirmDialog {...CONNECTION_CHANGES[open]} run={() => CONNECTION_CHANGES[open].run({ name })} onClose={close} onDone={done}>
          {open === 'restart' ? (
            <>
              <p>The connection to WhatsApp closes and reopens with the stored session. The phone stays linked and no new QR code is needed.</p>
              <p>Messages sent meanwhile wait and go out once it is back, usually within a few seconds.</p>
            </>
          ) : (
            <>
              <p>
                This unlinks the device{linked ? <> from <span className="font-medium text-slate-800">{linked}</span></> : null}: it disappears from the
                phone&apos;s Linked devices and the API can no longer send as this number.
              </p>
              <p>The instance stays, with its name, API keys and webhooks. Link a phone again whenever you like.</p>
            </>
          )}
        </ConfirmDialog>
      )}
      {open === 'delete' && (
        <ConfirmDialog
          title={`Delete ${name}?`}
          confirmLabel="Delete instance"
          pendingLabel="Deleting…"
          typeToConfirm={name}
          // Answers by going to the instance list; there is nothing to do here after it.
          run={(typed) => deleteAction({ name, confirmation: typed })}
          onClose={close}
          onDone={close}
        >
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
        </ConfirmDialog>
      )}
    </div>
  )
}
