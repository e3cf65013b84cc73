// Which instances this worker holds: lease renewal, claiming, hand-over, and the sessions themselves.
import type { Agent } from 'node:https'
import { sqlClient } from '@/lib/db'
import type { Logger } from '@/lib/log'
import { CHANNELS } from '@/lib/bus/channels'
import type { InstanceIdentity } from '@/lib/bus/events'
import { InstanceSession } from '@/workers/whatsapp/session'

export const LEASE_SECONDS = 15
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
  fetchAgent?: Agent
  qrTimeoutMs?: number
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
    const sql = sqlClient()
    // Renew what we hold; whatever did not come back is no longer ours.
    const held = await sql`
      update instances set lease_expires_at = now() + make_interval(secs => ${LEASE_SECONDS})
      where worker_id = ${this.options.workerId}
      returning id, desired_state`
    const stillHeld = new Set(held.map((row) => row.id as string))
    for (const [id, session] of this.sessions) {
      if (!stillHeld.has(id)) {
        this.options.log.warn({ instanceId: id }, 'lease lost; closing without logout')
        this.sessions.delete(id)
        await session.stop({ recordClose: false })
      }
    }
    for (const row of held) {
      if (row.desired_state === 'disconnected' && this.sessions.has(row.id)) await this.release(row.id, { recordClose: true })
      else if (row.desired_state === 'disconnected' || !this.sessions.has(row.id)) await this.releaseRow(row.id)
    }

    this.options.onTick?.([...this.sessions.keys()])
    const room = Math.min(CLAIM_BATCH, this.options.capacity - this.sessions.size)
    if (room <= 0) return
    const claimed = await sql`
      update instances set worker_id = ${this.options.workerId}, lease_expires_at = now() + make_interval(secs => ${LEASE_SECONDS})
      where id in (
        select id from instances
        where desired_state = 'connected' and (worker_id is null or lease_expires_at < now())
        order by lease_expires_at nulls first
        limit ${room}
        for update skip locked)
      returning id, user_id, name`
    for (const row of claimed) {
      const identity: InstanceIdentity = { id: row.id, userId: row.user_id, name: row.name }
      const session = new InstanceSession(identity, {
        workerId: this.options.workerId,
        log: this.options.log,
        waWebSocketUrl: this.options.waWebSocketUrl,
        fetchAgent: this.options.fetchAgent,
        qrTimeoutMs: this.options.qrTimeoutMs,
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
    await this.releaseRow(instanceId)
  }

  private async releaseRow(instanceId: string): Promise<void> {
    await sqlClient()`
      update instances set worker_id = null, lease_expires_at = null
      where id = ${instanceId} and worker_id = ${this.options.workerId}`
  }

  /** Graceful shutdown: close every socket without logging out and hand the instances over at once. */
  async stop(): Promise<void> {
    this.stopping = true
    clearInterval(this.timer)
    await this.ticking
    const sql = sqlClient()
    await Promise.all([...this.sessions.values()].map((session) => session.stop({ recordClose: false })))
    this.sessions.clear()
    const released = await sql`
      update instances set worker_id = null, lease_expires_at = null
      where worker_id = ${this.options.workerId} and desired_state = 'connected' returning id`
    await sql`update instances set worker_id = null, lease_expires_at = null where worker_id = ${this.options.workerId}`
    for (const row of released) await sql`select pg_notify(${CHANNELS.work}, ${row.id})`
  }
}
