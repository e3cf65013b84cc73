// Which instances this worker holds: lease renewal, claiming, hand-over, and the sessions themselves.
import type { Agent } from 'node:https'
import type { Logger } from '@/lib/log'
import { claimLeases, fenceDeadWorkers, releaseAllLeases, releaseLease, type LeaseRenewal } from '@/lib/store/instances'
import type { InstanceIdentity } from '@/lib/events/types'
import { InstanceSession } from '@/workers/whatsapp/session'
import type { ClientVersion } from '@/workers/whatsapp/client-version'
import { LEASE_RENEWAL_MS, type WorkerLease } from '@/workers/lease'

export type ManagerOptions = {
  lease: WorkerLease
  /** Called for each instance this worker just claimed, before its session starts. */
  onClaimed?: (instanceId: string) => Promise<void>
  /** Called when one of our instances' connections opens. */
  onOpen?: (instanceId: string) => void
  /** Called after every tick with the instances held, so their queues drain even if a wake-up was lost. */
  onTick?: (heldInstanceIds: string[]) => void
  capacity: number
  log: Logger
  waWebSocketUrl?: string
  sandboxUrl?: string
  fetchAgent?: Agent
  trustedCa?: string[]
  allowPrivateProxy?: boolean
  qrTimeoutMs?: number
  clientVersion: ClientVersion
}

type Renewal = { workerId: string; result: LeaseRenewal | undefined; claimsBefore: number }

export class InstanceManager {
  readonly sessions = new Map<string, InstanceSession>()
  private timer: NodeJS.Timeout | undefined
  private ticking: Promise<void> | undefined
  /** What the next tick does: apply the latest renewal, claim (when a renewal saw something unheld, or when woken). */
  private pending: { renewal?: Renewal; claim: boolean } = { claim: false }
  private renewing = false
  private stopping = false
  /** The last renewal saw something to claim, perhaps a dead worker's instances: fence it before claiming. */
  private fenceFirst = true
  /** Claims done so far, and in which one each session was claimed: a renewal only speaks for claims done before it began. */
  private claimsDone = 0
  private readonly claimedIn = new Map<string, number>()

  constructor(private readonly options: ManagerOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.renew(), LEASE_RENEWAL_MS)
    void this.renew()
    this.schedule({ claim: true })
  }

  /**
   * Something may want a socket (`instanceId`, when known): claim now. An instance already ours
   * needs no claim, so the wake-ups of its sends cost nothing here.
   */
  wake(instanceId?: string): void {
    if (instanceId && this.sessions.has(instanceId)) return
    this.schedule({ claim: true })
  }

  /**
   * The renewal runs on its own timer and connection, never behind a tick's claims or session
   * starts: a busy worker must not lapse. Its result is applied by the next tick.
   */
  private async renew(): Promise<void> {
    if (this.renewing || this.stopping) return
    this.renewing = true
    try {
      const workerId = this.options.lease.id
      const claimsBefore = this.claimsDone
      const result = await this.options.lease.renew(workerId)
      this.schedule({ renewal: { workerId, result, claimsBefore } })
    } catch (error) {
      this.options.log.warn({ err: error }, 'lease renewal failed; will retry')
    } finally {
      this.renewing = false
    }
  }

  /** Runs a tick now (coalesced: at most one at a time, one more queued). */
  private schedule(work: { renewal?: Renewal; claim?: boolean }): void {
    if (this.stopping) return
    if (work.renewal) this.pending.renewal = work.renewal
    this.pending.claim ||= Boolean(work.claim)
    if (this.ticking) return
    const { renewal, claim } = this.pending
    this.pending = { claim: false }
    this.ticking = this.tick(renewal, claim)
      .catch((error) => this.options.log.error({ err: error }, 'instance manager tick failed'))
      .finally(() => {
        this.ticking = undefined
        if (this.pending.renewal || this.pending.claim) this.schedule({})
      })
  }

  private async tick(renewal: Renewal | undefined, claim: boolean): Promise<void> {
    // A renewal under an id we already left behind says nothing about the current lease.
    if (renewal && renewal.workerId === this.options.lease.id) {
      if (!renewal.result) {
        await this.lapsed()
        claim = true
      } else {
        await this.reconcile(renewal.result, renewal.claimsBefore)
        this.options.onTick?.([...this.sessions.keys()])
        claim ||= renewal.result.claimable
        this.fenceFirst = renewal.result.claimable
      }
    }
    if (claim) await this.claim()
  }

  /** Sessions follow the rows: what is no longer ours closes, what should disconnect is let go. */
  private async reconcile({ connected, disconnected }: LeaseRenewal, claimsBefore: number): Promise<void> {
    const stillHeld = new Set([...connected, ...disconnected])
    for (const [id, session] of this.sessions) {
      // Claimed after the renewal began: the renewal may not have seen it yet.
      if (stillHeld.has(id) || (this.claimedIn.get(id) ?? 0) > claimsBefore) continue
      this.options.log.warn({ instanceId: id }, 'instance no longer ours; closing without logout')
      this.sessions.delete(id)
      this.claimedIn.delete(id)
      await session.stop({ recordClose: false })
    }
    for (const id of disconnected) {
      if (this.sessions.has(id)) await this.release(id, { recordClose: true })
      else await releaseLease(id, this.options.lease.id)
    }
    // Held but not running here (a release that did not get through): give it back. Every claim
    // registers its sessions within its tick, so an instance claimed here is never mistaken for one.
    for (const id of connected) if (!this.sessions.has(id)) await releaseLease(id, this.options.lease.id)
  }

  /**
   * The lease lapsed (the process was frozen, or the database away, past the TTL): another worker
   * may already hold our instances, and our writes are refused. Every socket closes without a
   * logout, and the worker joins again under a new id.
   */
  private async lapsed(): Promise<void> {
    this.options.log.warn({ instances: this.sessions.size }, 'lease lapsed; closing every socket without logout')
    const sessions = [...this.sessions.values()]
    this.sessions.clear()
    this.claimedIn.clear()
    await Promise.all(sessions.map((session) => session.stop({ recordClose: false })))
    await this.options.lease.replace()
  }

  /**
   * Claims a fair share of the unheld instances, up to our room, and registers their sessions; they
   * start after the tick, one after another, so the next renewal's tick is not held up by them.
   */
  private async claim(): Promise<void> {
    const room = this.options.capacity - this.sessions.size
    if (room <= 0) return
    const workerId = this.options.lease.id
    if (this.fenceFirst) await fenceDeadWorkers()
    this.fenceFirst = false
    const rows = await claimLeases(workerId, room)
    const claim = ++this.claimsDone
    const claimed = rows.map((row) => {
      const session = new InstanceSession(row, {
        workerId,
        log: this.options.log,
        waWebSocketUrl: this.options.waWebSocketUrl,
        sandboxUrl: this.options.sandboxUrl,
        fetchAgent: this.options.fetchAgent,
        trustedCa: this.options.trustedCa,
        allowPrivateProxy: this.options.allowPrivateProxy,
        qrTimeoutMs: this.options.qrTimeoutMs,
        clientVersion: this.options.clientVersion,
        onRelease: (id) => void this.release(id, { recordClose: false }),
        onOpen: this.options.onOpen,
      })
      this.sessions.set(row.id, session)
      this.claimedIn.set(row.id, claim)
      this.options.log.info({ instance: row.name }, 'claimed instance')
      return { row, session }
    })
    if (claimed.length) void this.startClaimed(claimed)
  }

  private async startClaimed(claimed: { row: InstanceIdentity; session: InstanceSession }[]): Promise<void> {
    for (const { row, session } of claimed) {
      if (this.sessions.get(row.id) !== session) continue // let go meanwhile
      try {
        await this.options.onClaimed?.(row.id)
      } catch (error) {
        this.options.log.error({ err: error, instance: row.name }, 'could not prepare a claimed instance')
        void this.release(row.id, { recordClose: false })
        continue
      }
      session.start().catch((error) => {
        this.options.log.error({ err: error, instance: row.name }, 'session failed to start')
        void this.release(row.id, { recordClose: false })
      })
    }
  }

  /** Stops the session (never a logout) and gives the instance back. */
  async release(instanceId: string, options: { recordClose: boolean }): Promise<void> {
    const session = this.sessions.get(instanceId)
    this.sessions.delete(instanceId)
    this.claimedIn.delete(instanceId)
    await session?.stop(options)
    await releaseLease(instanceId, this.options.lease.id)
  }

  /** Graceful shutdown: close every socket without logging out and hand the instances over at once. */
  async stop(): Promise<void> {
    this.stopping = true
    clearInterval(this.timer)
    await this.ticking
    await Promise.all([...this.sessions.values()].map((session) => session.stop({ recordClose: false })))
    this.sessions.clear()
    await releaseAllLeases(this.options.lease.id)
  }
}
