'use client'
import { useCallback, useEffect, useRef, useState } from 'react'
import { refusalText } from '@/lib/actions/action-state'
import type { InboxChat } from '@/lib/services/inbox/conversation'
import type { InboxMessage } from '@/lib/services/inbox/message-view'
import { ChatIcon } from '../page-icons'
import { listChatsAction, loadMessagesAction } from '../inbox-actions'
import { ChatList, type ChatListState } from './chat-list'
import { Conversation, type ConversationState } from './conversation'
import { GroupPanel } from './group-panel'
import { FirstSend } from './first-send'

/** Live updates come in bursts (a send: stored, sent, delivered): one re-read per burst. */
const REFRESH_DEBOUNCE_MS = 250
const SEARCH_DEBOUNCE_MS = 300

/** A fresh first page laid over what is shown: its items replace theirs, the older ones already loaded stay. */
function mergeNewest<T>(fresh: T[], shown: T[], idOf: (item: T) => string, keepOlder: boolean): T[] {
  if (!keepOlder) return fresh
  const ids = new Set(fresh.map(idOf))
  return [...fresh, ...shown.filter((item) => !ids.has(idOf(item)))]
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return debounced
}

/**
 * The instance's Inbox: its chats (search, archived, unread) and one conversation at a time, with
 * the composer and, for a group, its info panel. Two panes side by side from md up; on a phone the
 * list, then the conversation with a way back. `activity` goes up with every live event of the
 * page's stream, and the Inbox re-reads the list and the open conversation's newest page on it.
 */
export function Inbox({ name, connected, activity, apiBase }: { name: string; connected: boolean; activity: number; apiBase: string }) {
  const [archived, setArchived] = useState(false)
  const [searchText, setSearchText] = useState('')
  const search = useDebounced(searchText.trim(), SEARCH_DEBOUNCE_MS)
  const [list, setList] = useState<ChatListState>({ chats: [], nextCursor: null, loading: true, error: null })
  const [conversation, setConversation] = useState<ConversationState | null>(null)
  const [showInfo, setShowInfo] = useState(false)
  const listRequest = useRef(0)
  const openChat = useRef<string | null>(null)
  const loadingMore = useRef(false)

  const loadChats = useCallback(
    async (mode: 'replace' | 'refresh' | 'more', cursor?: string) => {
      const request = ++listRequest.current
      if (mode === 'replace') setList({ chats: [], nextCursor: null, loading: true, error: null })
      const result = await listChatsAction({ name, archived, search: search || undefined, cursor })
      if (request !== listRequest.current) return
      if (!result.ok) {
        setList((current) => ({ ...current, loading: false, error: refusalText(result) ?? 'The chats could not be read.' }))
        return
      }
      const page = result.value
      setList((current) => {
        if (mode === 'more') return { chats: [...current.chats, ...page.chats.filter((chat) => !current.chats.some((shown) => shown.jid === chat.jid))], nextCursor: page.nextCursor, loading: false, error: null }
        const keepOlder = mode === 'refresh' && current.nextCursor !== null && current.chats.length > page.chats.length
        return { chats: mergeNewest(page.chats, current.chats, (chat) => chat.jid, keepOlder), nextCursor: keepOlder ? current.nextCursor : page.nextCursor, loading: false, error: null }
      })
    },
    [name, archived, search],
  )

  const loadConversation = useCallback(
    async (jid: string, mode: 'open' | 'refresh' | 'older', cursor?: string) => {
      const result = await loadMessagesAction({ name, chat: jid, cursor })
      if (openChat.current !== jid) return
      if (!result.ok) {
        const error = refusalText(result) ?? 'The messages could not be read.'
        setConversation((current) => current && { ...current, loading: false, loadingOlder: false, error })
        return
      }
      const page = result.value
      setConversation((current) => {
        if (!current || current.jid !== jid) return current
        const idOf = (message: InboxMessage) => message.id
        if (mode === 'older') {
          const shown = new Set(current.messages.map(idOf))
          return { ...current, messages: [...current.messages, ...page.messages.filter((message) => !shown.has(message.id))], nextCursor: page.nextCursor, loadingOlder: false }
        }
        const keepOlder = mode === 'refresh' && current.messages.length > page.messages.length
        return {
          ...current,
          name: page.chat.name,
          isGroup: page.chat.isGroup,
          messages: mergeNewest(page.messages, current.messages, idOf, keepOlder),
          nextCursor: keepOlder ? current.nextCursor : page.nextCursor,
          loading: false,
          error: null,
        }
      })
    },
    [name],
  )

  useEffect(() => {
    void loadChats('replace')
  }, [loadChats])

  // Live: every event of the stream re-reads the list and the open conversation (debounced).
  const firstActivity = useRef(activity)
  useEffect(() => {
    if (activity === firstActivity.current) return
    const timer = setTimeout(() => {
      void loadChats('refresh')
      if (openChat.current) void loadConversation(openChat.current, 'refresh')
    }, REFRESH_DEBOUNCE_MS)
    return () => clearTimeout(timer)
  }, [activity, loadChats, loadConversation])

  const select = useCallback(
    (chat: InboxChat) => {
      openChat.current = chat.jid
      setShowInfo(false)
      setConversation({ jid: chat.jid, name: chat.name, isGroup: chat.isGroup, messages: [], nextCursor: null, loading: true, loadingOlder: false, error: null })
      void loadConversation(chat.jid, 'open')
    },
    [loadConversation],
  )
  const back = useCallback(() => {
    openChat.current = null
    setConversation(null)
    setShowInfo(false)
  }, [])
  const older = useCallback(() => {
    if (!conversation?.nextCursor || conversation.loadingOlder) return
    setConversation((current) => current && { ...current, loadingOlder: true })
    void loadConversation(conversation.jid, 'older', conversation.nextCursor)
  }, [conversation, loadConversation])
  const moreChats = useCallback(() => {
    if (!list.nextCursor || loadingMore.current) return
    loadingMore.current = true
    void loadChats('more', list.nextCursor).finally(() => (loadingMore.current = false))
  }, [list.nextCursor, loadChats])

  return (
    <section aria-labelledby="inbox-heading" className="mt-8">
      <div className="mb-3">
        <h2 id="inbox-heading" className="text-base font-semibold text-slate-900">
          Inbox
        </h2>
        <p className="mt-0.5 text-sm text-slate-500">Every chat of this number, updated live. Messages you send here go out like API sends.</p>
      </div>
      {list.chats.length === 0 && !list.loading && !list.error && !archived && !search ? (
        <FirstSend name={name} apiBase={apiBase} />
      ) : (
      <div className="relative flex h-[min(720px,calc(100dvh-7rem))] min-h-[480px] overflow-hidden rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
        <div className={`min-h-0 w-full flex-col border-slate-200 md:flex md:w-80 md:shrink-0 md:border-r ${conversation ? 'hidden' : 'flex'}`}>
          <ChatList
            list={list}
            selected={conversation?.jid ?? null}
            archived={archived}
            search={searchText}
            onSearch={setSearchText}
            onArchived={setArchived}
            onSelect={select}
            onMore={moreChats}
          />
        </div>
        <div className={`relative min-h-0 min-w-0 flex-1 flex-col md:flex ${conversation ? 'flex' : 'hidden'}`}>
          {conversation ? (
            <Conversation
              name={name}
              conversation={conversation}
              connected={connected}
              onBack={back}
              onOlder={older}
              onSent={() => void loadConversation(conversation.jid, 'refresh')}
              onInfo={() => setShowInfo(true)}
            />
          ) : (
            <div className="grid flex-1 place-items-center bg-slate-50 px-8 text-center">
              <div>
                <span className="mx-auto grid size-12 place-items-center rounded-full bg-brand-50 text-brand-600">
                  <ChatIcon className="size-6" />
                </span>
                <p className="mt-3 text-sm font-semibold text-slate-900">Pick a chat</p>
                <p className="mt-1 text-sm text-slate-500">Its messages, with their ticks, media and reactions, open here.</p>
              </div>
            </div>
          )}
          {conversation?.isGroup && showInfo && (
            <GroupPanel
              name={name}
              groupJid={conversation.jid}
              onClose={() => setShowInfo(false)}
              onLeft={() => {
                back()
                void loadChats('refresh')
              }}
            />
          )}
        </div>
      </div>
      )}
    </section>
  )
}
