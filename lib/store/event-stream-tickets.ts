import 'server-only'
import { sqlClient } from './sql'

/**
 * The `event_stream_tickets` table: single-use tickets a browser opens the event stream with
 * (lib/services/events/stream-tickets.ts). Only hashes are stored; a ticket is deleted when it is
 * used, and expired ones when the next is minted.
 */

export async function insertStreamTicket(ticket: { hash: string; keyId: string; expiresAt: Date }): Promise<void> {
  const sql = sqlClient()
  await sql`delete from event_stream_tickets where expires_at < now()`
  await sql`insert into event_stream_tickets (hash, key_id, expires_at) values (${ticket.hash}, ${ticket.keyId}, ${ticket.expiresAt})`
}

/** Deletes the ticket (so it can be used once, even by two requests at the same moment) and returns its key id while it was valid. */
export async function takeStreamTicket(hash: string): Promise<string | undefined> {
  const [row] = await sqlClient()`delete from event_stream_tickets where hash = ${hash} returning key_id, expires_at > now() as valid`
  return row?.valid ? (row.key_id as string) : undefined
}
