import 'server-only'
import { ApiError } from '@/lib/api/errors'
import type { EventType } from '@/lib/events/types'
import { eventsAfter, sequenceCommitted, type LoggedEvent } from '@/lib/store/events'
import { findForDataPlane } from '@/lib/store/instances'

/** Whose events a reader sees, already narrowed to what its key may read. */
export type EventLogFilter = {
  userId: string
  /** The instances the key may read; undefined: every instance of the account. */
  instanceIds?: string[]
  instanceName?: string
  types?: EventType[]
}

export type WireEvent = { position: string; id: string; event: EventType; instance: string; data: unknown; timestamp: string }

/** A logged event as every transport sends it: the webhook body's fields plus its position. */
export function toWire(event: LoggedEvent): WireEvent {
  return { position: String(event.position), id: event.id, event: event.event, instance: event.instance, data: event.data, timestamp: event.createdAt.toISOString() }
}

/**
 * The filter for a key: an `instance=` the key may not see is refused the way the data plane refuses
 * it (404 for a name the account has not, 403 for one outside a pinned key's instances).
 */
export async function eventLogFilter(options: { userId: string; visibleInstanceIds?: string[]; instance?: string; types?: EventType[] }): Promise<EventLogFilter> {
  let instanceIds = options.visibleInstanceIds
  if (options.instance !== undefined) {
    const instance = await findForDataPlane(options.userId, options.instance)
    if (!instance) throw new ApiError('instance_not_found', `No instance named "${options.instance}" in your account.`)
    if (instanceIds && !instanceIds.includes(instance.id)) throw new ApiError('instance_not_allowed', `This key may not read the instance "${options.instance}".`)
    instanceIds = [instance.id]
  }
  return { userId: options.userId, instanceIds, types: options.types }
}

let sequencing: Promise<unknown> | null = null
let queued: Promise<unknown> | null = null

/**
 * Positions every committed event before a read. Readers in one process share runs: a caller that
 * arrives during a run waits for the next one, which starts after it and so sees its commits.
 */
export function positionCommittedEvents(): Promise<unknown> {
  if (!sequencing) {
    sequencing = sequenceCommitted().finally(() => {
      sequencing = null
    })
    return sequencing
  }
  queued ??= sequencing
    .catch(() => {})
    .then(() => {
      queued = null
      return positionCommittedEvents()
    })
  return queued
}

/** One page of the log after `after`, oldest first. */
export async function readEventLog(filter: EventLogFilter, page: { after: number; limit: number }): Promise<{ events: WireEvent[]; nextAfter: string; hasMore: boolean }> {
  await positionCommittedEvents()
  const rows = await eventsAfter({ ...filter, after: page.after, limit: page.limit + 1 })
  const events = rows.slice(0, page.limit).map(toWire)
  return { events, nextAfter: events.at(-1)?.position ?? String(page.after), hasMore: rows.length > page.limit }
}
