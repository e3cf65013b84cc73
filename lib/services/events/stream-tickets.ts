import 'server-only'
import { randomBytes } from 'node:crypto'
import bs58 from 'bs58'
import { hashKey } from '@/lib/keys/format'
import { findActiveById, type ActiveKey } from '@/lib/store/api-keys'
import { insertStreamTicket, takeStreamTicket } from '@/lib/store/event-stream-tickets'

/**
 * A browser cannot send an Authorization header with a WebSocket or an EventSource, and a key in a
 * page is a key handed to every visitor. So a server mints a ticket with its key and gives the page
 * only that: it opens one stream (as the key, with its scope and pinning) and is worth nothing after,
 * nor after STREAM_TICKET_TTL_MS. Like keys, only its hash is stored and it is never logged (the
 * request log has the path, not the query).
 */
export const STREAM_TICKET_TTL_MS = 60_000
const TICKET_PREFIX = 'sage_wst_'
const TICKET_PATTERN = /^sage_wst_[1-9A-HJ-NP-Za-km-z]{30,34}$/

export async function mintStreamTicket(keyId: string): Promise<{ ticket: string; expiresAt: string }> {
  const ticket = TICKET_PREFIX + bs58.encode(randomBytes(24))
  const expiresAt = new Date(Date.now() + STREAM_TICKET_TTL_MS)
  await insertStreamTicket({ hash: hashKey(ticket), keyId, expiresAt })
  return { ticket, expiresAt: expiresAt.toISOString() }
}

/** The key the ticket was minted with, if the ticket is unused, unexpired and the key not revoked; the ticket is spent either way. */
export async function redeemStreamTicket(ticket: string): Promise<ActiveKey | undefined> {
  if (!TICKET_PATTERN.test(ticket)) return undefined
  const keyId = await takeStreamTicket(hashKey(ticket))
  return keyId ? findActiveById(keyId) : undefined
}
