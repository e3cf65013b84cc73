'use client'
import { useEffect, useState, useTransition } from 'react'
import { Spinner } from '@/components/ui/button'
import { ConfirmDialog } from '@/components/ui/confirm-dialog'
import { CopyButton } from '@/components/ui/copy-button'
import { CloseIcon } from '@/components/ui/icons'
import { Notice } from '@/components/ui/notice'
import { refusalText } from '@/lib/actions/action-state'
import type { GroupMemberView, GroupPanel as GroupPanelData } from '@/lib/services/inbox/group-panel'
import { changeMemberAction, groupPanelAction, leaveGroupAction, resetInviteLinkAction } from '../inbox-actions'
import { Avatar } from './chat-list'

type Confirming = { kind: 'remove'; member: GroupMemberView } | { kind: 'reset' } | { kind: 'leave' }

function AdminBadge({ admin }: { admin: GroupMemberView['admin'] }) {
  if (!admin) return null
  return (
    <span className="shrink-0 rounded-full bg-brand-50 px-2 py-0.5 text-[11px] font-semibold text-brand-700 ring-1 ring-brand-100" data-admin={admin}>
      {admin === 'superadmin' ? 'Owner' : 'Admin'}
    </span>
  )
}

/** A group chat's details beside the conversation: members with their roles, the invite link for admins, and what an admin may do. */
export function GroupPanel({ name, groupJid, onClose, onLeft }: { name: string; groupJid: string; onClose: () => void; onLeft: () => void }) {
  const [panel, setPanel] = useState<GroupPanelData | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [confirming, setConfirming] = useState<Confirming | null>(null)
  const [pending, startTransition] = useTransition()

  useEffect(() => {
    let current = true
    setPanel(null)
    setError(null)
    void groupPanelAction({ name, groupJid }).then((result) => {
      if (!current) return
      if (result.ok) setPanel(result.value)
      else setError(refusalText(result) ?? 'The group could not be read.')
    })
    return () => {
      current = false
    }
  }, [name, groupJid])

  const roleChange = (member: GroupMemberView, action: 'promote' | 'demote') =>
    startTransition(async () => {
      const result = await changeMemberAction({ name, groupJid, action, number: member.number! })
      if (result.ok) setPanel(result.value)
      else setError(refusalText(result) ?? 'WhatsApp refused the change.')
    })

  return (
    <aside aria-label="Group info" className="absolute inset-0 z-20 flex flex-col bg-white md:inset-y-0 md:right-0 md:left-auto md:w-80 md:border-l md:border-slate-200 md:shadow-xl">
      <header className="flex items-center gap-2 border-b border-slate-200 px-4 py-3">
        <h3 className="flex-1 text-sm font-semibold text-slate-900">Group info</h3>
        <button type="button" onClick={onClose} className="rounded-md p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800">
          <CloseIcon className="size-5" />
          <span className="sr-only">Close group info</span>
        </button>
      </header>
      <div className="min-h-0 flex-1 overflow-y-auto">
        {error && (
          <div className="p-4">
            <Notice tone="error">{error}</Notice>
          </div>
        )}
        {!panel && !error && (
          <div className="grid place-items-center py-16 text-slate-500">
            <Spinner className="size-6" />
          </div>
        )}
        {panel && (
          <>
            <div className="flex flex-col items-center px-4 pt-6 pb-4 text-center">
              <Avatar name={panel.subject} isGroup />
              <h4 className="mt-3 text-base font-semibold text-slate-900">{panel.subject}</h4>
              <p className="text-sm text-slate-500">
                Group · {panel.size} {panel.size === 1 ? 'member' : 'members'}
              </p>
              {panel.description && <p className="mt-3 text-sm whitespace-pre-wrap text-slate-700">{panel.description}</p>}
              {(panel.announce || panel.restrict) && (
                <p className="mt-2 text-xs text-slate-500">
                  {[panel.announce && 'Only admins send messages', panel.restrict && 'Only admins edit the group info'].filter(Boolean).join(' · ')}
                </p>
              )}
            </div>
            {panel.inviteUrl && (
              <div className="border-t border-slate-100 px-4 py-3">
                <p className="text-xs font-medium text-slate-500">Invite link</p>
                <p className="mt-1 truncate font-mono text-[13px] text-slate-900" data-invite-url>
                  {panel.inviteUrl}
                </p>
                <div className="mt-2 flex gap-2">
                  <CopyButton text={panel.inviteUrl} label="Copy link" />
                  <button type="button" onClick={() => setConfirming({ kind: 'reset' })} className="rounded-md px-2.5 py-1.5 text-[13px] font-semibold text-red-700 hover:bg-red-50">
                    Reset link
                  </button>
                </div>
              </div>
            )}
            <div className="border-t border-slate-100 pt-3">
              <p className="px-4 text-xs font-medium text-slate-500">{panel.members.length} members</p>
              <ul aria-label="Members" aria-busy={pending} className="mt-1">
                {panel.members.map((member) => (
                  <li key={member.jid} className="group flex items-center gap-3 px-4 py-2" data-member={member.number ?? member.jid}>
                    <Avatar name={member.name ?? member.label} isGroup={false} size="sm" />
                    <div className="min-w-0 flex-1">
                      <p className="truncate text-sm font-medium text-slate-900">{member.name ?? member.label}</p>
                      {member.name && <p className="truncate text-xs text-slate-500">{member.label}</p>}
                    </div>
                    <AdminBadge admin={member.admin} />
                    {panel.isAdmin && !member.isMe && member.number && member.admin !== 'superadmin' && (
                      <details className="relative">
                        <summary className="cursor-pointer list-none rounded px-1.5 text-slate-400 hover:bg-slate-100 hover:text-slate-700" aria-label={`Manage ${member.name ?? member.label}`}>
                          ⋯
                        </summary>
                        <div className="absolute right-0 z-30 mt-1 w-44 rounded-lg bg-white py-1 text-[13px] shadow-lg ring-1 ring-slate-200">
                          <button type="button" disabled={pending} onClick={() => roleChange(member, member.admin ? 'demote' : 'promote')} className="block w-full px-3 py-1.5 text-left hover:bg-slate-50">
                            {member.admin ? 'Dismiss as admin' : 'Make admin'}
                          </button>
                          <button type="button" onClick={() => setConfirming({ kind: 'remove', member })} className="block w-full px-3 py-1.5 text-left text-red-700 hover:bg-red-50">
                            Remove from group
                          </button>
                        </div>
                      </details>
                    )}
                  </li>
                ))}
              </ul>
            </div>
            <div className="border-t border-slate-100 p-4">
              <button type="button" onClick={() => setConfirming({ kind: 'leave' })} className="w-full rounded-lg px-3 py-2 text-sm font-semibold text-red-700 ring-1 ring-red-200 hover:bg-red-50">
                Leave group
              </button>
            </div>
          </>
        )}
      </div>
      {confirming?.kind === 'remove' && panel && (
        <ConfirmDialog
          title={`Remove ${confirming.member.name ?? confirming.member.label}?`}
          confirmLabel="Remove"
          pendingLabel="Removing…"
          run={() => changeMemberAction({ name, groupJid, action: 'remove', number: confirming.member.number! })}
          onClose={() => setConfirming(null)}
          onDone={(value) => {
            setPanel(value)
            setConfirming(null)
          }}
        >
          <p>
            They leave <strong className="font-semibold text-slate-900">{panel.subject}</strong> at once and WhatsApp tells the group. They can only come back through an invite.
          </p>
        </ConfirmDialog>
      )}
      {confirming?.kind === 'reset' && panel && (
        <ConfirmDialog
          title="Reset the invite link?"
          confirmLabel="Reset link"
          pendingLabel="Resetting…"
          run={() => resetInviteLinkAction({ name, groupJid })}
          onClose={() => setConfirming(null)}
          onDone={(inviteUrl) => {
            setPanel({ ...panel, inviteUrl })
            setConfirming(null)
          }}
        >
          <p>The current link stops working for everyone it was shared with. A new link replaces it.</p>
        </ConfirmDialog>
      )}
      {confirming?.kind === 'leave' && panel && (
        <ConfirmDialog
          title={`Leave ${panel.subject}?`}
          confirmLabel="Leave group"
          pendingLabel="Leaving…"
          run={() => leaveGroupAction({ name, groupJid })}
          onClose={() => setConfirming(null)}
          onDone={() => {
            setConfirming(null)
            onLeft()
          }}
        >
          <p>This number stops receiving the group&apos;s messages. Getting back in needs an admin or an invite link.</p>
        </ConfirmDialog>
      )}
    </aside>
  )
}
