// Which instances this worker holds: lease renewal, claiming, hand-over, and the sessions themselves.
import type { Agent } from 'node:https'
import type { Logger } from '@/lib/log'
import { claimLeases, fenceDeadWorkers, releaseAllLeases, releaseLease } from '@/lib/store/instances'
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

export class InstanceManager {
  readonly sessions = new Map<string, InstanceSession>()
  private timer: NodeJS.Timeout | undefined
  private ticking: Promise<void> | undefined
  /** What the next tick does: renew the lease (on the timer), claim (on the timer when worth it, or when woken). */
  private pending = { renew: false, claim: false }
  private stopping = false
  /** The last renewal saw something to claim, perhaps a dead worker's instances: fence it before claiming. */
  private fenceFirst = true

  constructor(private readonly options: ManagerOptions) {}

  start(): void {
    this.timer = setInterval(() => this.schedule({ renew: true }), LEASE_RENEWAL_MS)
    this.schedule({ renew: true, claim: true })
  }

  /**
   * Something may want a socket (`instanceId`, when known): claim now. An instance already ours
   * needs no claim, so the wake-ups of its sends cost nothing here.
   */
  wake(instanceId?: string): void {
    if (instanceId && this.sessions.has(instanceId)) return
    this.schedule({ claim: true })
  }

  /** Runs a tick now (coalesced: at most one at a time, one more queued). */
  private schedule(work: { renew?: boolean; claim?: boolean }): void {
    if (this.stopping) return
    this.pending.renew ||= Boolean(work.renew)
    this.pending.claim ||= Boolean(work.claim)
    if (this.ticking) return
    const { renew, claim } = this.pending
    this.pending = { renew: false, claim: false }
    this.ticking = this.tick(renew, claim)
      .catch((error) => this.options.log.error({ err: error }, 'instance manager tick failed'))
      .finally(() => {
        this.ticking = undefined
        if (this.pending.renew || this.pending.claim) this.schedule({})
      })
  }

  private async tick(renew: boolean, claim: boolean): Promise<void> {
    if (renew) {
      const renewal = await this.options.lease.renew()
      if (!renewal) {
        await this.lapsed()
        claim = true
      } else {
        await this.reconcile(renewal.connected, renewal.disconnected)
        this.options.onTick?.([...this.sessions.keys()])
        claim ||= renewal.claimable
        this.fenceFirst = renewal.claimable
      }
    }
    if (claim) await this.claim()
  }

  /** Sessions follow the rows: what is no longer ours closes, what should disconnect is let go. */
  private async reconcile(connected: string[], disconnected: string[]): Promise<void> {
    const stillHeld = new Set([...connected, ...disconnected])
    for (const [id, session] of this.sessions) {
      if (!stillHeld.has(id)) {
        this.options.log.warn({ instanceId: id }, 'instance no longer ours; closing without logout')
        this.sessions.delete(id)
        await session.stop({ recordClose: false })
      }
    }
    for (const id of disconnected) {
      if (this.sessions.has(id)) await this.release(id, { recordClose: true })
      else await releaseLease(id, this.options.lease.id)
    }
    // Held but not running here (a release that did not get through): give it back.
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
    await Promise.all(sessions.map((session) => session.stop({ recordClose: false })))
    await this.options.lease.replace()
  }

  /** Claims a fair share of the unheld instances, up to our room, and starts their sessions. */
  private async claim(): Promise<void> {
    const room = this.options.capacity - this.sessions.size
    if (room <= 0) return
    const workerId = this.options.lease.id
    if (this.fenceFirst) await fenceDeadWorkers()
    this.fenceFirst = false
    for (const row of await claimLeases(workerId, room)) {
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
      this.options.log.info({ instance: row.name }, 'claimed instance')
      await this.options.onClaimed?.(row.id)
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
