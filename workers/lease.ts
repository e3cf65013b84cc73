// This worker's lease: its `workers` row. One statement renews it and lists every instance the worker
// holds (lib/store/instances.ts renewLease); a lapsed lease is never renewed, only replaced.
import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import type { Logger } from '@/lib/log'
import { renewLease, type LeaseRenewal } from '@/lib/store/instances'
import { markWorkerStopped, registerWorker } from '@/lib/store/workers'
import { heartbeats, lastHeartbeat } from './metrics'

/** How often the lease is renewed: well inside WORKER_HEARTBEAT_TTL_SECONDS, so a lost renewal or two is no loss of the lease. */
export const LEASE_RENEWAL_MS = 2000

export class WorkerLease {
  private current = WorkerLease.newId()

  constructor(private readonly options: { capacity: number; version: string; log: Logger }) {}

  /** `<host>-<pid>-<random>`: the pid finds the process, the random part tells its leases apart. */
  private static newId(): string {
    return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`
  }

  /** The id of the lease held now; a new one after a lapse. */
  get id(): string {
    return this.current
  }

  async register(): Promise<void> {
    await registerWorker({ id: this.current, capacity: this.options.capacity, version: this.options.version })
  }

  /** Renews the lease; undefined when it had lapsed (the caller drops everything, then calls `replace`). */
  async renew(workerId = this.current): Promise<LeaseRenewal | undefined> {
    try {
      const renewal = await renewLease(workerId)
      heartbeats.inc({ worker: workerId, result: renewal ? 'ok' : 'lapsed' })
      if (renewal) lastHeartbeat.set({ worker: workerId }, Date.now() / 1000)
      return renewal
    } catch (error) {
      heartbeats.inc({ worker: workerId, result: 'failed' })
      throw error
    }
  }

  /**
   * After a lapse: whatever this worker did under the old id may already be someone else's, so it
   * never comes back to life; the worker joins again as a new one.
   */
  async replace(): Promise<void> {
    const lapsed = this.current
    this.current = WorkerLease.newId()
    this.options.log.warn({ lapsedWorkerId: lapsed, workerId: this.current }, 'lease lapsed; registering again under a new id')
    await this.register()
  }

  async stop(): Promise<void> {
    await markWorkerStopped(this.current)
  }
}
