// Watches one session for the signals auto-pause acts on (thresholds: lib/instances/send-health.ts):
// sends WhatsApp refused with an error ack, and the share of recent sends that stayed at one tick.
// A rate-overlimit answer pauses at once and is caught where it happens (workers/messaging/outbox.ts);
// a ban-like login refusal is a close decision (disconnect.ts).
import {
  REFUSED_SENDS_PAUSE_AFTER,
  REFUSED_WINDOW_MS,
  UNDELIVERED_CHECK_EVERY_MS,
  UNDELIVERED_GRACE_MS,
  UNDELIVERED_MIN_SENDS,
  UNDELIVERED_PAUSE_SHARE,
  UNDELIVERED_WINDOW_MS,
} from '@/lib/instances/send-health'
import { sendResumedAtOf } from '@/lib/store/instances'
import { deliveryOutcomes } from '@/lib/store/messages'
import type { InstanceSession } from './session'

export class SendHealthWatch {
  /** When each refused send was refused, by WhatsApp id: one refusal may reach us twice (update and upsert). */
  private refused = new Map<string, number>()
  private undeliveredCheckedAt = 0

  constructor(private readonly session: InstanceSession) {}

  /** Baileys' handleBadAck: WhatsApp acknowledged one of our sends with `error` (messages.update, status ERROR). */
  async sendRefused(messageId: string, errorCode: string | undefined): Promise<void> {
    const now = Date.now()
    for (const [id, at] of this.refused) if (now - at >= REFUSED_WINDOW_MS) this.refused.delete(id)
    this.refused.set(messageId, this.refused.get(messageId) ?? now)
    if (this.refused.size < REFUSED_SENDS_PAUSE_AFTER) return
    this.refused.clear()
    await this.session.pauseSending('sends_refused', errorCode ? `The last one was refused with error ${errorCode}.` : undefined)
  }

  /**
   * Once a minute at most (called on every outbox pass): of the API sends that went out in the last
   * day, since the last resume, and at least an hour ago, how many still show one tick.
   */
  async checkUndelivered(): Promise<void> {
    const now = Date.now()
    if (this.session.sendPause || now - this.undeliveredCheckedAt < UNDELIVERED_CHECK_EVERY_MS) return
    this.undeliveredCheckedAt = now
    const resumedAt = (await sendResumedAtOf(this.session.instance.id))?.getTime() ?? 0
    const from = new Date(Math.max(now - UNDELIVERED_WINDOW_MS, resumedAt))
    const to = new Date(now - UNDELIVERED_GRACE_MS)
    if (from >= to) return
    const { sent, undelivered } = await deliveryOutcomes(this.session.instance.id, from, to)
    if (sent < UNDELIVERED_MIN_SENDS || undelivered / sent < UNDELIVERED_PAUSE_SHARE) return
    await this.session.pauseSending('undelivered', `${undelivered} of ${sent} sends are still undelivered.`)
  }
}
