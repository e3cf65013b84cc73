// Which instances this worker holds: lease renewal, claiming, hand-over, and the sessions themselves.
import type { Agent } from 'node:https'
import type { Logger } from '@/lib/log'
import { claimLeases, releaseAllLeases, releaseLease, renewLeases } from '@/lib/store/instances'
import { InstanceSession } from '@/workers/whatsapp/session'
import type { ClientVersion } from '@/workers/whatsapp/client-version'

const TICK_MS = 2000
/** Claimed per tick, so several workers starting together share the instances instead of one taking all. */
const CLAIM_BATCH = 25

export type ManagerOptions = {
  workerId: string
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
  private again = false
  private stopping = false

  constructor(private readonly options: ManagerOptions) {}

  start(): void {
    this.timer = setInterval(() => this.wake(), TICK_MS)
    this.wake()
  }

  /** Runs a tick now (coalesced: at most one at a time, one more queued). */
  wake(): void {
    if (this.stopping) return
    if (this.ticking) {
      this.again = true
      return
    }
    this.ticking = this.tick()
      .catch((error) => this.options.log.error({ err: error }, 'instance manager tick failed'))
      .finally(() => {
        this.ticking = undefined
        if (this.again) {
          this.again = false
          this.wake()
        }
      })
  }

  private async tick(): Promise<void> {
    // Renew what we hold; whatever did not come back is no longer ours.
    const held = await renewLeases(this.options.workerId)
    const stillHeld = new Set(held.map((row) => row.id))
    for (const [id, session] of this.sessions) {
      if (!stillHeld.has(id)) {
        this.options.log.warn({ instanceId: id }, 'lease lost; closing without logout')
        this.sessions.delete(id)
        await session.stop({ recordClose: false })
      }
    }
    for (const row of held) {
      if (row.desiredState === 'disconnected' && this.sessions.has(row.id)) await this.release(row.id, { recordClose: true })
      else if (row.desiredState === 'disconnected' || !this.sessions.has(row.id)) await releaseLease(row.id, this.options.workerId)
    }

    this.options.onTick?.([...this.sessions.keys()])
    const room = Math.min(CLAIM_BATCH, this.options.capacity - this.sessions.size)
    if (room <= 0) return
    for (const row of await claimLeases(this.options.workerId, room)) {
      const session = new InstanceSession(row, {
        workerId: this.options.workerId,
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
    await releaseLease(instanceId, this.options.workerId)
  }

  /** Graceful shutdown: close every socket without logging out and hand the instances over at once. */
  async stop(): Promise<void> {
    this.stopping = true
    clearInterval(this.timer)
    await this.ticking
    await Promise.all([...this.sessions.values()].map((session) => session.stop({ recordClose: false })))
    this.sessions.clear()
    await releaseAllLeases(this.options.workerId)
  }
}
