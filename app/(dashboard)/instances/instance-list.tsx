'use client'
import Link from 'next/link'
import { useState } from 'react'
import { InstanceStateBadge } from '@/components/dashboard/instance-state-badge'
import type { InstanceState } from '@/lib/instances/status-codes'
import { SandboxBadge } from '@/components/dashboard/sandbox-badge'

export type InstanceListRow = {
  name: string
  state: InstanceState
  /** "+1 555 010 7777" once paired. */
  number: string | null
  /** The WhatsApp profile name, once paired. */
  whatsappName: string | null
  /** "5 minutes ago", or null before the first message. */
  lastActivity: string | null
  lastActivityTitle: string | undefined
  messagesToday: number
  /** Connected to the sandbox, not WhatsApp. */
  sandbox: boolean
  /** Status `send_paused`: connected, but sends wait (the instance page says why). */
  sendingPaused: boolean
}

function matches(row: InstanceListRow, query: string): boolean {
  const digits = query.replace(/\D/g, '')
  const text = query.trim().toLowerCase()
  return (
    row.name.includes(text) ||
    (row.whatsappName?.toLowerCase().includes(text) ?? false) ||
    (digits.length > 0 && (row.number?.replace(/\D/g, '').includes(digits) ?? false))
  )
}

/** The account's instances with what identifies each (number, WhatsApp name) and how busy it is, filtered as one types. */
export function InstanceList({ instances }: { instances: InstanceListRow[] }) {
  const [query, setQuery] = useState('')
  const shown = query.trim() ? instances.filter((row) => matches(row, query)) : instances
  return (
    <>
      <div className="mb-3 flex items-center justify-between gap-3">
        <label htmlFor="instance-search" className="sr-only">
          Search instances
        </label>
        <input
          id="instance-search"
          type="search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          placeholder="Search by name, number or WhatsApp name"
          className="w-full max-w-sm rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/20"
        />
        <p className="shrink-0 text-sm text-slate-500" aria-live="polite">
          {shown.length === instances.length ? `${instances.length} ${instances.length === 1 ? 'instance' : 'instances'}` : `${shown.length} of ${instances.length}`}
        </p>
      </div>
      <div className="overflow-hidden rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Your instances</caption>
          <thead className="hidden bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500 md:table-header-group">
            <tr>
              <th scope="col" className="px-5 py-3">Name</th>
              <th scope="col" className="px-5 py-3">WhatsApp</th>
              <th scope="col" className="px-5 py-3">State</th>
              <th scope="col" className="px-5 py-3">Last activity</th>
              <th scope="col" className="px-5 py-3 text-right">Messages today</th>
              <th scope="col" className="px-5 py-3"><span className="sr-only">Open</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200">
            {shown.map((row) => (
              <tr key={row.name} className="group relative flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-4 hover:bg-slate-50 md:table-row md:p-0">
                <td className="w-full font-medium text-slate-900 md:w-auto md:px-5 md:py-4">
                  <Link href={`/instances/${row.name}`} className="font-mono text-[13px] before:absolute before:inset-0 hover:text-brand-700">
                    {row.name}
                  </Link>
                  {row.sandbox && <SandboxBadge />}
                </td>
                <td className="w-full text-slate-700 md:w-auto md:px-5 md:py-4">
                  {row.number ? (
                    <span className="flex flex-col">
                      <span className="tabular-nums">{row.number}</span>
                      {row.whatsappName && <span className="text-xs text-slate-500">{row.whatsappName}</span>}
                    </span>
                  ) : (
                    <span className="text-slate-400">Not paired yet</span>
                  )}
                </td>
                <td className="md:px-5 md:py-4">
                  <InstanceStateBadge state={row.state} sendingPaused={row.sendingPaused} label={row.state === 'connecting' && row.number ? 'Reconnecting' : undefined} />
                </td>
                <td className="text-slate-500 md:px-5 md:py-4">
                  {row.lastActivity && <span className="md:hidden">Last message </span>}
                  <span title={row.lastActivityTitle}>{row.lastActivity ?? 'No messages yet'}</span>
                </td>
                <td className="text-slate-500 tabular-nums md:px-5 md:py-4 md:text-right">
                  <span aria-hidden className="md:hidden">· </span>
                  <span data-testid="messages-today">{row.messagesToday}</span>
                  <span className="md:hidden"> today</span>
                </td>
                <td className="ml-auto text-right text-slate-400 md:px-5 md:py-4">
                  <span aria-hidden className="group-hover:text-brand-600">→</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {shown.length === 0 && <p className="px-5 py-8 text-center text-sm text-slate-500">No instance matches “{query.trim()}”.</p>}
      </div>
    </>
  )
}
