import 'server-only'
import { subscribe } from './listener'

/**
 * Re-reads a row until `accept` takes it or the time is up. A notification on `channel` carrying
 * `id` re-reads at once; without one the row is re-read every second anyway, because a notification
 * only wakes us and can be missed (a reconnect), while the row is the truth.
 */
export async function waitForRow<Row, Accepted>(options: {
  channel: string
  id: string
  read: () => Promise<Row>
  accept: (row: Row) => Accepted | undefined
  timeoutMs: number
}): Promise<Accepted | undefined> {
  let wake: () => void = () => {}
  // A notification that lands while a read is in flight may describe a row newer than the one read.
  let notified = false
  const unsubscribe = await subscribe(options.channel, (payload) => {
    if (payload !== options.id) return
    notified = true
    wake()
  })
  try {
    const deadline = Date.now() + options.timeoutMs
    for (;;) {
      notified = false
      const accepted = options.accept(await options.read())
      if (accepted !== undefined) return accepted
      const remaining = deadline - Date.now()
      if (remaining <= 0) return undefined
      if (notified) continue // read again at once rather than on the next timer
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 1000))
        wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
  } finally {
    unsubscribe()
  }
}
