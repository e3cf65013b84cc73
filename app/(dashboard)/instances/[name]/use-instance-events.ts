'use client'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { InstanceLiveState } from '@/lib/services/instances/lifecycle'

export type StreamStatus = 'live' | 'reconnecting' | 'gone'

const MAX_RETRY_MS = 30_000
/** The server ends streams now and then and the browser reconnects at once: only a longer gap is news. */
const QUIET_GAP_MS = 4_000

/**
 * The instance's live state, kept current by the server-sent events stream, and a count of the
 * stream's news about messages (the Inbox re-reads on it).
 * EventSource reconnects by itself after a dropped connection; when it gives up (the server answered
 * with an error, e.g. after the session ended) we reopen it with a growing delay.
 */
export function useInstanceEvents(name: string, initial: { state: InstanceLiveState }) {
  const [state, setState] = useState(initial.state)
  const [status, setStatus] = useState<StreamStatus>('live')
  /** Goes up whenever the stream says something happened to messages or chats: the Inbox re-reads on it. */
  const [activity, setActivity] = useState(0)
  const newest = useRef(initial.state.updatedAt)

  /** Takes a state from the stream or an action's answer; an older one (they can cross) never wins. */
  const applyState = useCallback((next: InstanceLiveState) => {
    if (next.updatedAt < newest.current) return
    newest.current = next.updatedAt
    setState(next)
  }, [])

  useEffect(() => {
    let source: EventSource | undefined
    let retryTimer: ReturnType<typeof setTimeout> | undefined
    let gapTimer: ReturnType<typeof setTimeout> | undefined
    let failures = 0
    let stopped = false
    const open = () => {
      if (stopped) return
      source = new EventSource(`/api/v1/me/instances/${encodeURIComponent(name)}/events`)
      source.addEventListener('open', () => {
        failures = 0
        clearTimeout(gapTimer)
        gapTimer = undefined
        setStatus('live')
      })
      source.addEventListener('state', (event) => applyState(JSON.parse((event as MessageEvent).data)))
      source.addEventListener('messages', () => setActivity((count) => count + 1))
      source.addEventListener('activity', () => setActivity((count) => count + 1))
      source.addEventListener('gone', () => {
        stopped = true
        clearTimeout(gapTimer)
        source?.close()
        setStatus('gone')
      })
      source.addEventListener('error', () => {
        if (stopped) return
        gapTimer ??= setTimeout(() => setStatus('reconnecting'), QUIET_GAP_MS)
        if (source?.readyState === EventSource.CLOSED) {
          source.close()
          retryTimer = setTimeout(open, Math.min(MAX_RETRY_MS, 1000 * 2 ** failures++))
        }
      })
    }
    open()
    return () => {
      stopped = true
      clearTimeout(retryTimer)
      clearTimeout(gapTimer)
      source?.close()
    }
  }, [name, applyState])

  return { state, status, activity, applyState }
}
