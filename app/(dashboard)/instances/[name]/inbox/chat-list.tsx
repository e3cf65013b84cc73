'use client'
import { useEffect, useRef } from 'react'
import { Spinner } from '@/components/ui/button'
import type { InboxChat } from '@/lib/services/inbox/conversation'
import { ArchiveIcon, GroupIcon, SearchIcon } from './inbox-icons'
import { listTime } from './time'
import { Ticks } from './ticks'

export function Avatar({ name, isGroup, size = 'md' }: { name: string; isGroup: boolean; size?: 'md' | 'sm' }) {
  const letters = name.replace(/^\+/, '').split(/\s+/).filter(Boolean).slice(0, 2).map((word) => word[0]).join('').toUpperCase()
  // A stable colour per chat, so a chat is recognisable at a glance.
  const hue = [...name].reduce((sum, char) => sum + char.charCodeAt(0), 0) % 6
  const looks = ['bg-emerald-100 text-emerald-800', 'bg-sky-100 text-sky-800', 'bg-amber-100 text-amber-800', 'bg-violet-100 text-violet-800', 'bg-rose-100 text-rose-800', 'bg-teal-100 text-teal-800']
  return (
    <span aria-hidden className={`grid shrink-0 place-items-center rounded-full font-semibold ${size === 'md' ? 'size-11 text-sm' : 'size-9 text-xs'} ${looks[hue]}`}>
      {isGroup ? <GroupIcon className={size === 'md' ? 'size-5' : 'size-4'} /> : /\d/.test(letters[0] ?? '') || !letters ? '#' : letters}
    </span>
  )
}

export type ChatListState = { chats: InboxChat[]; nextCursor: string | null; loading: boolean; error: string | null }

export function ChatList({
  list,
  selected,
  archived,
  search,
  onSearch,
  onArchived,
  onSelect,
  onMore,
}: {
  list: ChatListState
  selected: string | null
  archived: boolean
  search: string
  onSearch: (search: string) => void
  onArchived: (archived: boolean) => void
  onSelect: (chat: InboxChat) => void
  onMore: () => void
}) {
  const sentinel = useRef<HTMLLIElement>(null)
  // The list's end in view: the next page of chats.
  useEffect(() => {
    const element = sentinel.current
    if (!element || !list.nextCursor) return
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && onMore())
    observer.observe(element)
    return () => observer.disconnect()
  }, [list.nextCursor, onMore])

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="space-y-2.5 border-b border-slate-200 p-3">
        <label className="relative block">
          <span className="sr-only">Search chats</span>
          <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400" />
          <input
            type="search"
            value={search}
            onChange={(event) => onSearch(event.target.value)}
            placeholder="Search by name or number"
            className="w-full rounded-lg border-0 bg-slate-100 py-2 pr-3 pl-9 text-sm text-slate-900 placeholder:text-slate-500 focus:bg-white focus:ring-2 focus:ring-brand-500"
          />
        </label>
        <div role="group" aria-label="Which chats" className="flex gap-1.5 text-[13px] font-medium">
          {[false, true].map((value) => (
            <button
              key={String(value)}
              type="button"
              aria-pressed={archived === value}
              onClick={() => onArchived(value)}
              className={`inline-flex items-center gap-1.5 rounded-full px-3 py-1 transition ${archived === value ? 'bg-brand-50 text-brand-700 ring-1 ring-brand-100' : 'text-slate-600 hover:bg-slate-100'}`}
            >
              {value && <ArchiveIcon className="size-3.5" />}
              {value ? 'Archived' : 'All chats'}
            </button>
          ))}
        </div>
      </div>
      <ul aria-label="Chats" aria-busy={list.loading} className="min-h-0 flex-1 overflow-y-auto">
        {list.chats.map((chat) => (
          <li key={chat.jid}>
            <button
              type="button"
              onClick={() => onSelect(chat)}
              aria-current={selected === chat.jid ? 'true' : undefined}
              data-chat={chat.jid}
              className={`flex w-full items-center gap-3 px-3 py-2.5 text-left transition ${selected === chat.jid ? 'bg-brand-50/70' : 'hover:bg-slate-50'}`}
            >
              <Avatar name={chat.name} isGroup={chat.isGroup} />
              <span className="min-w-0 flex-1 border-b border-slate-100 pb-2.5 -mb-2.5">
                <span className="flex items-baseline justify-between gap-2">
                  <span data-chat-name className="truncate text-sm font-semibold text-slate-900">{chat.name}</span>
                  {chat.at !== null && (
                    <span suppressHydrationWarning className={`shrink-0 text-xs tabular-nums ${chat.unreadCount > 0 ? 'font-semibold text-brand-600' : 'text-slate-500'}`}>
                      {listTime(chat.at)}
                    </span>
                  )}
                </span>
                <span className="mt-0.5 flex items-center gap-1.5">
                  {chat.lastFromMe && chat.lastStatus && <Ticks status={chat.lastStatus} />}
                  <span className="truncate text-[13px] text-slate-500">{chat.preview ?? (chat.isGroup ? 'Group' : 'No messages yet')}</span>
                  {chat.unreadCount > 0 && (
                    <span className="ml-auto grid h-5 min-w-5 shrink-0 place-items-center rounded-full bg-brand-500 px-1.5 text-[11px] font-bold text-white tabular-nums" data-unread>
                      {chat.unreadCount}
                      <span className="sr-only"> unread</span>
                    </span>
                  )}
                </span>
              </span>
            </button>
          </li>
        ))}
        {list.nextCursor && (
          <li ref={sentinel} className="flex justify-center py-4 text-slate-400">
            <Spinner />
          </li>
        )}
        {list.loading && list.chats.length === 0 &&
          Array.from({ length: 6 }, (_, index) => (
            <li key={index} aria-hidden className="flex animate-pulse items-center gap-3 px-3 py-3">
              <span className="size-11 rounded-full bg-slate-100" />
              <span className="flex-1 space-y-2">
                <span className="block h-3 w-1/2 rounded bg-slate-100" />
                <span className="block h-3 w-3/4 rounded bg-slate-100" />
              </span>
            </li>
          ))}
        {!list.loading && list.chats.length === 0 && (
          <li className="px-6 py-12 text-center text-sm text-slate-500">
            {list.error ?? (search ? `No chats match “${search}”.` : archived ? 'No archived chats.' : 'No chats yet. Messages this number sends or receives show up here.')}
          </li>
        )}
      </ul>
    </div>
  )
}
