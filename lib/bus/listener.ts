import 'server-only'
import { sqlClient } from '@/lib/db'
import type { Executor } from '@/lib/store/sql'

type Subscriber = (payload: string) => void

/**
 * One LISTEN per channel per process, fanned out to in-process subscribers (SSE streams, callers
 * awaiting a command), instead of a database connection per waiting request.
 */
const channels = new Map<string, { subscribers: Set<Subscriber>; ready: Promise<unknown> }>()

export async function subscribe(channel: string, subscriber: Subscriber): Promise<() => void> {
  let entry = channels.get(channel)
  if (!entry) {
    const subscribers = new Set<Subscriber>()
    const ready = sqlClient().listen(channel, (payload) => {
      for (const each of subscribers) each(payload)
    })
    entry = { subscribers, ready }
    channels.set(channel, entry)
    // A LISTEN that could not be set up (the database was away) is tried afresh by the next subscribe.
    const failed = entry
    ready.catch(() => channels.get(channel) === failed && channels.delete(channel))
  }
  entry.subscribers.add(subscriber)
  await entry.ready
  return () => entry!.subscribers.delete(subscriber)
}

export async function notify(channel: string, payload: string): Promise<void> {
  await sqlClient()`select pg_notify(${channel}, ${payload})`
}

/**
 * NOTIFY as one more statement of the caller's transaction: delivered with its commit and never for a
 * rollback, and sent along with the transaction's other statements (pipelined) instead of costing a
 * round trip of its own after the commit.
 */
export async function notifyWithin(tx: Executor, channel: string, payload: string): Promise<void> {
  await notifyStatement(tx, channel, payload)
}

/** notifyWithin's statement, unsent, for a caller that pipelines it. */
export function notifyStatement(tx: Executor, channel: string, payload: string) {
  return tx`select pg_notify(${channel}, ${payload})`
}
