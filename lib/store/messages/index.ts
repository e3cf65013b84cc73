import 'server-only'

/**
 * The `messages` table (and the `message_media` bytes beside it): its one row type and every
 * statement on it. It is both the store of every message and the outbox of API sends. State rules:
 *
 * - An API send is written PENDING with a WhatsApp id chosen up front; the owning worker sets
 *   `accepted_at` (number checked, media fetched), then `send_started_at`, then SERVER_ACK or ERROR.
 *   An undelayed send that goes out at once gets both times in one statement (markSendStarted).
 *   A send started but unfinished by a dead owner is sent again by the next one with the same id.
 * - Status only moves forward along STATUS_ORDER (ERROR only from PENDING or SERVER_ACK), each move
 *   appended to `status_history` with its event in the same transaction.
 * - A caller that stopped waiting may cancel a send only while nobody has started it, and the worker
 *   starts only a PENDING or held send: one row update each, so a cancel and a start never both win.
 * - While the instance's sending is paused (auto-pause) its sends are held QUEUED_BY_POLICY with
 *   reason `paused` and no planned time; a resume plans them like any other.
 * - A send with a `sendAt` is written SCHEDULED with `send_at`; once that time has come the holding
 *   worker moves it to PENDING (markDue) and it goes on as any send. Until then its sender may call
 *   it off (CANCELLED, cancelScheduled); the two moves both start from SCHEDULED, so only one wins.
 * - `remote_jid` is the contact's phone-number JID whenever it is known, its LID otherwise, with the
 *   other identity in `remote_jid_alt`; a message is found by either.
 * - A message from a history sync is stored with `from_history` and never announced as
 *   MESSAGES_UPSERT; one already stored (live, or from an earlier sync) is left as it is.
 * - An edit replaces the content and appends the content it replaced to `edit_history`; a deletion
 *   for everyone sets `deleted_at` once. Each is announced with its event in the same transaction.
 * - A message that arrived undecryptable waits in `undecryptable_messages` (its home:
 *   lib/store/undecryptable-messages.ts) and comes here once: readable, or after the grace period as
 *   type `undecryptable` (filled in, with MESSAGES_UPDATE, if its readable copy still comes).
 */
export { STATUS_ORDER, type EditHistoryEntry, type MediaBytes, type StoredMedia, type MediaInfo, type Message, type PolicyReason } from './row'
export * from './reads'
export * from './outbox'
export * from './send-policy'
export * from './health'
export * from './incoming'
export * from './edits'
export * from './retention'
export * from './media'
