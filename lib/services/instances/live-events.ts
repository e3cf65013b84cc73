import 'server-only'
import { ApiError } from '@/lib/api/errors'
import { CHANNELS } from '@/lib/bus/channels'
import { subscribe } from '@/lib/bus/listener'
import { log } from '@/lib/log'
import type { AccountContext } from '@/lib/services/accounts/users'
import { liveState, type InstanceRef } from './lifecycle'
import { recentMessages } from './recent-messages'

/** Comment lines keep proxies and the browser from calling an idle stream dead. */
const HEARTBEAT_MS = 15_000
/**
 * Notifications only wake us; a missed one (a LISTEN reconnect) or a change nobody announces (a
 * worker dying, new messages) is caught by re-reading this often.
 */
const SAFETY_REREAD_MS = 5_000
/** Streams end after a while and the browser reconnects, which re-checks the session cookie. */
const MAX_STREAM_MS = 10 * 60_000
/** How long the browser waits before reconnecting a dropped stream. */
const CLIENT_RETRY_MS = 2_000

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  // no-transform keeps compression middleware from buffering the stream.
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
}

/**
 * The instance page's live feed as server-sent events: `state` (liveState, the QR as a data URL)
 * and `messages` (the latest messages) whenever they change, `activity` whenever the account records
 * an event (a message, a receipt, an edit: the Inbox re-reads what it shows), `gone` when the
 * instance was deleted.
 * Ends with the request (`signal`), releasing its share of the process-wide LISTEN.
 */
export function instanceEventStream({ ctx, instance, signal }: { ctx: AccountContext; instance: InstanceRef; signal: AbortSignal }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let finish = () => {}
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false
      let lastState = ''
      let lastMessages = ''
      let reading: Promise<void> | null = null
      let readAgain = false
      const timers: ReturnType<typeof setInterval>[] = []
      let unsubscribe = () => {}

      const send = (text: string) => {
        if (closed) return
        try {
          controller.enqueue(encoder.encode(text))
        } catch {
          finish()
        }
      }
      const event = (name: string, data: unknown) => send(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`)

      finish = () => {
        if (closed) return
        closed = true
        unsubscribe()
        for (const timer of timers) clearInterval(timer)
        signal.removeEventListener('abort', finish)
        try {
          controller.close()
        } catch {
          // Already closed by the client going away.
        }
      }

      const readOnce = async () => {
        try {
          const [state, messages] = await Promise.all([liveState(instance), recentMessages({ ctx, instance })])
          const stateJson = JSON.stringify(state)
          if (stateJson !== lastState) {
            lastState = stateJson
            send(`event: state\ndata: ${stateJson}\n\n`)
          }
          const messagesJson = JSON.stringify(messages)
          if (messagesJson !== lastMessages) {
            lastMessages = messagesJson
            send(`event: messages\ndata: ${messagesJson}\n\n`)
          }
        } catch (error) {
          if (error instanceof ApiError && error.code === 'instance_not_found') {
            event('gone', { name: instance.name })
            finish()
            return
          }
          log.warn({ err: error, instanceId: instance.id }, 'instance event stream: re-read failed')
        }
      }
      // Bursts of notifications (QR, then state, then reason) collapse into at most one extra read.
      const refresh = (): Promise<void> => {
        if (closed) return Promise.resolve()
        if (reading) {
          readAgain = true
          return reading
        }
        reading = (async () => {
          do {
            readAgain = false
            await readOnce()
          } while (readAgain && !closed)
        })().finally(() => {
          reading = null
        })
        return reading
      }

      if (signal.aborted) return finish()
      signal.addEventListener('abort', finish)
      const unsubscribeInstance = await subscribe(CHANNELS.instanceChanged, (id) => {
        if (id === instance.id) void refresh()
      })
      // Messages, receipts, edits and reactions are recorded as the account's events: the Inbox hears
      // of them at once instead of at the next safety re-read.
      const unsubscribeEvents = await subscribe(CHANNELS.eventRecorded, (userId) => {
        if (userId !== ctx.userId) return
        event('activity', { at: Date.now() })
        void refresh()
      })
      unsubscribe = () => {
        unsubscribeInstance()
        unsubscribeEvents()
      }
      if (closed) return unsubscribe()
      send(`retry: ${CLIENT_RETRY_MS}\n\n`)
      timers.push(setInterval(() => void refresh(), SAFETY_REREAD_MS))
      timers.push(setInterval(() => send(': heartbeat\n\n'), HEARTBEAT_MS))
      timers.push(setTimeout(finish, MAX_STREAM_MS))
      await refresh()
    },
    cancel() {
      finish()
    },
  })
}
