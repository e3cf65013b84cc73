import 'server-only'
import { CHANNELS } from '@/lib/bus/channels'
import { subscribe } from '@/lib/bus/listener'
import { log } from '@/lib/log'
import { eventsAfter } from '@/lib/store/events'
import { positionCommittedEvents, toWire, type EventLogFilter } from './event-log'

/** A comment line this often keeps proxies and clients from calling an idle stream dead. */
export const HEARTBEAT_MS = 15_000
/** Streams end after this long; clients reconnect with Last-Event-ID, and the key is checked again. */
const MAX_STREAM_MS = 10 * 60_000
const BATCH = 500
/** How long EventSource clients wait before reconnecting. */
const CLIENT_RETRY_MS = 1_000

/**
 * The event log as server-sent events, from `after` on: `id:` is each event's position, `event:`
 * its type, `data:` the wire event. The LISTEN is in place before the first read, and every
 * notification that arrives during a read marks another read, so an event committed between the
 * catch-up and the live phase is read, never lost; reads are by position, so nothing repeats.
 */
export function eventLogStream({ filter, after, signal }: { filter: EventLogFilter; after: number; signal: AbortSignal }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let stop = () => {}
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false
      let cursor = after
      let dirty = true
      let wake = () => {}
      const send = (text: string) => {
        if (closed) return
        try {
          controller.enqueue(encoder.encode(text))
        } catch {
          stop()
        }
      }
      const unsubscribe = await subscribe(CHANNELS.eventRecorded, (userId) => {
        if (userId !== filter.userId) return
        dirty = true
        wake()
      })
      const ending = setTimeout(() => stop(), MAX_STREAM_MS)
      stop = () => {
        if (closed) return
        closed = true
        unsubscribe()
        clearTimeout(ending)
        signal.removeEventListener('abort', stop)
        wake()
        try {
          controller.close()
        } catch {
          // The client already went away.
        }
      }
      signal.addEventListener('abort', stop)
      if (signal.aborted) return stop()
      send(`retry: ${CLIENT_RETRY_MS}\n: position ${cursor}\n\n`)

      try {
        while (!closed) {
          if (dirty) {
            dirty = false
            await positionCommittedEvents()
            const batch = await eventsAfter({ ...filter, after: cursor, limit: BATCH })
            for (const event of batch) {
              send(`id: ${event.position}\nevent: ${event.event}\ndata: ${JSON.stringify(toWire(event))}\n\n`)
              cursor = event.position
            }
            if (batch.length === BATCH) dirty = true
            continue
          }
          // Sleep until a notification or the heartbeat; a heartbeat also re-reads, in case a notification was lost.
          const woke = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), HEARTBEAT_MS)
            wake = () => {
              clearTimeout(timer)
              resolve(true)
            }
          })
          wake = () => {}
          if (!woke) {
            send(': heartbeat\n\n')
            dirty = true
          }
        }
      } catch (error) {
        log.warn({ err: error }, 'event stream read failed; closing it (the client resumes with Last-Event-ID)')
        stop()
      }
    },
    cancel() {
      stop()
    },
  })
}
