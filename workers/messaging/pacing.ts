// The send policy (lib/messages/send-policy.ts) applied to one instance's outbox, one pass at a time:
// which send may go now, and which is held (QUEUED_BY_POLICY) until when. Sends are planned in
// order, so a burst gets its planned times at once and each caller learns when its message goes out.
import { dayOf, newChatCap, policyOf, quietHoursEnd, type SendPolicy } from '@/lib/messages/send-policy'
import { readInstanceSettings } from '@/lib/store/instance-settings'
import { firstApiSendAt, lastApiSendAt, newChatsBetween, opensNewChat, type Message, type PolicyReason } from '@/lib/store/messages'

export type PacingDecision = { send: true; startsChat: boolean | null } | { send: false; hold?: { plannedAt: Date; reason: PolicyReason; startsChat: boolean }; waitMs: number }

/** A send planned this close to now goes now: a timer would only add its own lateness. */
const NOW_SLACK_MS = 20
/** How many days ahead the new-chat cap looks for room before it stops planning further out. */
const CAP_LOOKAHEAD_DAYS = 30

export class Pacer {
  /** Per instance: the earliest a newly planned send may go (the last send or plan, plus a gap). */
  private readonly nextFree = new Map<string, number>()
  /** Per instance: the last send's time plus the minimum gap, which even a due planned send waits for. */
  private readonly gapEnds = new Map<string, number>()

  constructor(private readonly now: () => number) {}

  /**
   * One pass over the instance's outbox under `policy`: the session's copy of its settings (read at
   * every socket start and again on each `apply_settings`), so a pass costs no settings read.
   */
  async begin(instanceId: string, policy: SendPolicy): Promise<PacingPass> {
    if (!this.nextFree.has(instanceId)) {
      const last = await lastApiSendAt(instanceId)
      this.nextFree.set(instanceId, last ? last.getTime() + policy.minGapMs : 0)
      this.gapEnds.set(instanceId, last ? last.getTime() + policy.minGapMs : 0)
    }
    return new PacingPass(instanceId, policy, this.now, this.nextFree, this.gapEnds)
  }
}

export class PacingPass {
  constructor(
    private readonly instanceId: string,
    readonly policy: SendPolicy,
    private readonly now: () => number,
    private readonly nextFree: Map<string, number>,
    private readonly gapEnds: Map<string, number>,
  ) {}

  private gap(): number {
    return this.policy.minGapMs + Math.floor(Math.random() * (this.policy.jitterMs + 1))
  }

  private reserve(until: number): void {
    this.nextFree.set(this.instanceId, Math.max(this.nextFree.get(this.instanceId) ?? 0, until))
  }

  /** The send went out now: the next paced one waits a gap. */
  sent(): void {
    const now = this.now()
    this.gapEnds.set(this.instanceId, now + this.policy.minGapMs)
    if (this.policy.minGapMs || this.policy.jitterMs) this.reserve(now + this.gap())
  }

  async decide(row: Message): Promise<PacingDecision> {
    const now = this.now()
    if (row.status === 'QUEUED_BY_POLICY' && row.plannedAt) {
      const waitMs = row.plannedAt.getTime() - now
      // Due; but a send before it that went out late pushes it on, so the gap always holds.
      const gapLeft = row.policyReason === 'new_chat_cap' ? 0 : (this.gapEnds.get(this.instanceId) ?? 0) - now
      if (waitMs <= NOW_SLACK_MS && gapLeft > NOW_SLACK_MS) return { send: false, waitMs: gapLeft }
      if (waitMs <= NOW_SLACK_MS) return { send: true, startsChat: row.startsChat }
      if (row.policyReason !== 'new_chat_cap') this.reserve(row.plannedAt.getTime() + this.policy.minGapMs)
      return { send: false, waitMs }
    }
    const startsChat = this.policy.newChatsPerDay === null && !this.policy.warmUp ? null : await opensNewChat(this.instanceId, row)
    if (startsChat && !row.transactional) {
      const day = await this.dayWithRoom(now)
      // That day starts at midnight, which may well be in quiet hours.
      if (day > now) return this.hold(now, this.afterQuietHours(day), 'new_chat_cap', true)
    }
    if (row.transactional) return { send: true, startsChat }
    const paced = Math.max(now, this.nextFree.get(this.instanceId) ?? 0)
    const plannedAt = this.afterQuietHours(paced)
    const reason: PolicyReason = plannedAt > paced ? 'quiet_hours' : 'gap'
    if (plannedAt - now <= NOW_SLACK_MS) return { send: true, startsChat }
    this.reserve(plannedAt + this.gap())
    return this.hold(now, plannedAt, reason, startsChat ?? false)
  }

  /** `at`, or the end of the quiet hours it falls in. */
  private afterQuietHours(at: number): number {
    return (this.policy.quietHours && quietHoursEnd(at, this.policy.quietHours, this.policy.timeZone)) ?? at
  }

  private hold(now: number, plannedAt: number, reason: PolicyReason, startsChat: boolean): PacingDecision {
    return { send: false, hold: { plannedAt: new Date(plannedAt), reason, startsChat }, waitMs: plannedAt - now }
  }

  /** Now, when today's new-chat cap has room; else the start of the first later day that has. */
  private async dayWithRoom(now: number): Promise<number> {
    // The warm-up counts days from the first day the number sent through us (today, for a new one).
    const first = this.policy.warmUp ? ((await firstApiSendAt(this.instanceId))?.getTime() ?? now) : now
    const firstDay = dayOf(first, this.policy.timeZone).start
    let day = dayOf(now, this.policy.timeZone)
    for (let ahead = 0; ahead < CAP_LOOKAHEAD_DAYS; ahead++) {
      const cap = newChatCap(this.policy, Math.round((day.start - firstDay) / 86_400_000))
      if ((await newChatsBetween(this.instanceId, new Date(day.start), new Date(day.end))) < cap) return ahead === 0 ? now : day.start
      day = dayOf(day.end + 1, this.policy.timeZone)
    }
    return day.start
  }
}
