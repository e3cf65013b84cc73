import 'server-only'
import { CHANNELS } from '@/lib/bus/channels'
import type { EventType, InstanceIdentity } from '@/lib/events/types'
import { webhookFanOut } from './webhook-deliveries'
import { sqlClient, type Executor } from './sql'

/**
 * Records an event in `instance_events` and fans it out to the account's webhook endpoints. Call
 * it inside the transaction of the state change that caused it, so the event and its deliveries
 * exist exactly when the change does (a crash loses neither, or both). The NOTIFY on
 * `sage_event_recorded` is transactional too: event streams hear it only once the row is committed.
 */
export async function recordEvent(tx: Executor, instance: InstanceIdentity, type: EventType, data: unknown): Promise<string> {
  const [row] = await recordEventStatement(tx, instance, type, data)
  return row.id
}

/**
 * recordEvent's one statement, unsent, for a caller that pipelines it (markSent): a transaction
 * recording several events sends them together instead of waiting on each.
 */
export function recordEventStatement(tx: Executor, instance: InstanceIdentity, type: EventType, data: unknown) {
  return tx`
    with event as (
      insert into instance_events (instance_id, user_id, instance_name, event, data)
      values (${instance.id}, ${instance.userId}, ${instance.name}, ${type}, ${tx.json(data as never)})
      returning id, pg_notify(${CHANNELS.eventRecorded}, ${instance.userId}::text)
    ), ${webhookFanOut(tx, tx`(select id from event)`, { instance, type })}
    select (select id from event) as id, (select count(*) from fanned_out) as deliveries`
}

/** An event that changes no row of ours (a group update, a revoke), in a transaction of its own. */
export async function recordEventAlone(instance: InstanceIdentity, type: EventType, data: unknown): Promise<string> {
  return sqlClient().begin((tx) => recordEvent(tx, instance, type, data))
}

/** A recorded event as the replayable log (/api/v1/events) serves it. */
export type LoggedEvent = {
  position: number
  id: string
  instanceId: string
  instance: string
  event: EventType
  data: unknown
  createdAt: Date
}

// Any fixed number: the advisory lock that makes one sequencer run at a time.
const SEQUENCER_LOCK = 7_318_004_562
const SEQUENCE_BATCH = 5000

/**
 * Gives committed events their log position, in `seq` order, one sequencer at a time (an advisory
 * lock held until commit). Positions are therefore handed out in commit order of the sequencer's
 * transactions: a reader that sees position p also sees every position below it, so paging by
 * position can neither skip nor repeat an event, whatever order the recording transactions
 * committed in. Rows still uncommitted are invisible here and get a later position.
 */
export async function sequenceCommitted(): Promise<number> {
  return sqlClient().begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${SEQUENCER_LOCK})`
    const rows = await tx`
      update instance_events e set position = p.position
      from (
        select id, nextval('instance_event_positions') as position
        from (select id from instance_events where position is null order by seq limit ${SEQUENCE_BATCH}) ordered
      ) p
      where e.id = p.id
      returning e.id`
    return rows.length
  })
}

export type EventLogQuery = {
  userId: string
  after: number
  limit: number
  /** Only these instances (a pinned key's); undefined: every instance of the account. */
  instanceIds?: string[]
  instanceName?: string
  types?: EventType[]
}

/** The account's positioned events after a position, oldest first. */
export async function eventsAfter(query: EventLogQuery): Promise<LoggedEvent[]> {
  const sql = sqlClient()
  const rows = await sql`
    select position, id, instance_id, instance_name, event, data, created_at from instance_events
    where user_id = ${query.userId} and position > ${query.after}
      ${query.instanceIds ? sql`and instance_id = any(${query.instanceIds}::uuid[])` : sql``}
      ${query.instanceName !== undefined ? sql`and instance_name = ${query.instanceName}` : sql``}
      ${query.types ? sql`and event = any(${query.types}::text[])` : sql``}
    order by position limit ${query.limit}`
  return rows.map((row) => ({
    position: Number(row.position),
    id: row.id as string,
    instanceId: row.instance_id as string,
    instance: row.instance_name as string,
    event: row.event as EventType,
    data: row.data,
    createdAt: new Date(row.created_at as string),
  }))
}

/** Retention: deletes events older than the given age (their webhook deliveries go with them), in batches. */
export async function purgeEventsOlderThan(days: number, batch = 10_000): Promise<number> {
  const sql = sqlClient()
  let total = 0
  for (;;) {
    const rows = await sql`
      delete from instance_events where id in (
        select id from instance_events where created_at < now() - make_interval(days => ${days}) limit ${batch})
      returning 1`
    total += rows.length
    if (rows.length < batch) return total
  }
}

/** Retention: deletes one batch of the account's events older than `days` (their webhook deliveries go with them); SKIP LOCKED lets workers prune side by side. */
export async function pruneAccountEventsBatch(userId: string, days: number, batch: number): Promise<number> {
  const rows = await sqlClient()`
    delete from instance_events where id in (
      select id from instance_events where user_id = ${userId} and created_at < now() - make_interval(days => ${days})
      limit ${batch} for update skip locked)
    returning 1`
  return rows.length
}

/** The instance's INSTANCE_HEALTH events since `since`, newest first (the health panel's pauses). */
export async function healthEventsSince(userId: string, instanceId: string, since: Date, limit = 20): Promise<{ at: Date; data: Record<string, unknown> }[]> {
  const rows = await sqlClient()`
    select created_at, data from instance_events
    where user_id = ${userId} and instance_id = ${instanceId} and event = 'INSTANCE_HEALTH' and created_at >= ${since}
    order by created_at desc limit ${limit}`
  return rows.map((row) => ({ at: new Date(row.created_at as string), data: row.data as Record<string, unknown> }))
}
