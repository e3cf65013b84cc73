// The outbox's sends in flight on one socket, so their echo is not stored a second time.

/** Sends whose echo never came (the send failed before it went out) are forgotten past this many. */
const MAX_IN_FLIGHT = 1_000

/**
 * Baileys emits each message it sent as a `messages.upsert` (type `append`). For an API send that row
 * already exists (the outbox wrote it, and `markSent` records its sending), so storing the echo could
 * only meet it: a transaction of five round trips per send for nothing. The outbox names each send
 * here before handing it to the socket; the echo of the same id in the same chat is then taken, once.
 */
export class OwnSends {
  private readonly chatById = new Map<string, string>()

  expect(waId: string, remoteJid: string): void {
    this.chatById.delete(waId)
    this.chatById.set(waId, remoteJid)
    if (this.chatById.size > MAX_IN_FLIGHT) this.chatById.delete(this.chatById.keys().next().value!)
  }

  /** Whether this is the echo of an outbox send: same id, same chat (as our rows name it). */
  take(waId: string, remoteJid: string): boolean {
    if (this.chatById.get(waId) !== remoteJid) return false
    this.chatById.delete(waId)
    return true
  }
}
