// Retention and export: batches of old messages and media deleted, an account's messages read out.
import 'server-only'
import { sqlClient } from '../sql'

/** A batch deleted: how many rows, and the bucket objects of the media that went with them (for the caller to delete). */
export type PrunedBatch = { deleted: number; objects: string[] }

/**
 * Retention: deletes one batch of the instance's messages older than `days` (their media go with
 * them). A send still waiting in the outbox is kept however old (a scheduled send is not history yet).
 * SKIP LOCKED: rows another worker's batch (or a send) holds are left for the next run.
 */
export async function pruneMessagesBatch(instanceId: string, days: number, batch: number): Promise<PrunedBatch> {
  // Every part of one statement reads the same snapshot: `objects` sees the media rows the cascade deletes.
  const [row] = await sqlClient()`
    with doomed as (
      select id from messages
      where instance_id = ${instanceId} and created_at < now() - make_interval(days => ${days})
        and not (via_api and sent_at is null and status = 'PENDING')
      limit ${batch} for update skip locked),
    objects as (select storage_key from message_media where message_id in (select id from doomed) and storage_key is not null),
    gone as (delete from messages where id in (select id from doomed) returning 1)
    select (select count(*) from gone)::int as deleted, coalesce((select array_agg(storage_key) from objects), '{}') as objects`
  return { deleted: row.deleted as number, objects: row.objects as string[] }
}

/** Retention: deletes one batch of the instance's media older than `days`; the messages stay (their media then reads as gone). */
export async function pruneMediaBatch(instanceId: string, days: number, batch: number): Promise<PrunedBatch> {
  const rows = await sqlClient()`
    delete from message_media where message_id in (
      select media.message_id from message_media media join messages on messages.id = media.message_id
      where messages.instance_id = ${instanceId} and media.created_at < now() - make_interval(days => ${days})
      limit ${batch} for update of media skip locked)
    returning storage_key`
  return { deleted: rows.length, objects: rows.map((row) => row.storage_key as string | null).filter((key): key is string => key !== null) }
}

/** The account's messages for its export, a page at a time, oldest first per instance (media bytes stay behind: GET .../media serves them). */
export async function* messagesForExport(userId: string): AsyncGenerator<Record<string, unknown>[]> {
  yield* sqlClient()`
    select instances.name as instance, messages.id, messages.wa_id, messages.remote_jid, messages.remote_jid_alt, messages.from_me,
      messages.participant, messages.participant_alt, messages.push_name, messages.message_type, messages.message,
      messages.message_timestamp, messages.status, messages.status_history, messages.from_history, messages.via_api, messages.media,
      messages.sent_at, messages.edited_at, messages.edit_history, messages.deleted_at, messages.error_code, messages.error_message, messages.created_at
    from messages join instances on instances.id = messages.instance_id
    where messages.user_id = ${userId} and instances.user_id = ${userId}
    order by instances.name, messages.created_at, messages.id`.cursor(500)
}

/** How many records of this table the account's export will hold (its progress bar's total). */
export async function countMessagesForExport(userId: string): Promise<number> {
  const [row] = await sqlClient()`select count(*)::int as n from messages where user_id = ${userId}`
  return row.n as number
}
