import 'server-only'
import { subscribe } from './listener'

type WaitOptions<Row, Accepted> = {
  id: string
  read: () => Promise<Row>
  accept: (row: Row) => Accepted | undefined
  timeoutMs: number
}

/** Payloads remembered before `waitForRow` names its id; past this many, its first read is never skipped. */
const MAX_EARLY_PAYLOADS = 10_000

/**
 * Listens on `channel` from this call on, so a caller can start listening before it writes the row it
 * will wait for. Then `waitForRow` knows that every change since the write woke it, and may skip its
 * first read (`readFirst: false`): a send's wait then reads its row once, when the worker says it
 * changed, instead of once more right after the insert. Closing it is the caller's job.
 */
export async function watchChannel(channel: string) {
  // Before the id is known: every payload heard, in case one is it.
  let early: Set<string> | null = new Set<string>()
  let overflowed = false
  let target: string | undefined
  let notified = false
  let wake: () => void = () => {}
  const unsubscribe = await subscribe(channel, (payload) => {
    if (target === undefined) {
      if (early && early.size < MAX_EARLY_PAYLOADS) early.add(payload)
      else overflowed = true
      return
    }
    if (payload !== target) return
    notified = true
    wake()
  })

  /**
   * Re-reads a row until `accept` takes it or the time is up. A notification carrying `id` re-reads at
   * once; without one the row is re-read every second anyway, because a notification only wakes us
   * and can be missed (a reconnect), while the row is the truth.
   */
  async function waitForRow<Row, Accepted>(options: WaitOptions<Row, Accepted> & { readFirst: boolean }): Promise<Accepted | undefined> {
    target = options.id
    const heardEarly = overflowed || Boolean(early?.has(options.id))
    early = null
    const deadline = Date.now() + options.timeoutMs
    let read = options.readFirst || heardEarly
    for (;;) {
      if (read) {
        // A notification that lands while a read is in flight may describe a row newer than the one read.
        notified = false
        const accepted = options.accept(await options.read())
        if (accepted !== undefined) return accepted
      }
      read = true
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
  }

  return { waitForRow, close: unsubscribe }
}

/** Waits for a row written before this call (see watchChannel's waitForRow), reading it first. */
export async function waitForRow<Row, Accepted>(options: WaitOptions<Row, Accepted> & { channel: string }): Promise<Accepted | undefined> {
  const watch = await watchChannel(options.channel)
  try {
    return await watch.waitForRow({ ...options, readFirst: true })
  } finally {
    watch.close()
  }
}
