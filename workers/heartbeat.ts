import type { Logger } from '@/lib/log'
import { beat, markWorkerStopped, registerWorker } from '@/lib/store/workers'
import { heartbeats, lastHeartbeat } from './metrics'

export const HEARTBEAT_INTERVAL_MS = 2000

/** Registers this worker and keeps its heartbeat fresh; the web tier reads it for /status. */
export async function startHeartbeat(options: { workerId: string; capacity: number; version: string; log: Logger }) {
  await registerWorker({ id: options.workerId, capacity: options.capacity, version: options.version })
  const timer = setInterval(() => {
    beat(options.workerId).then(
      () => {
        heartbeats.inc({ worker: options.workerId, result: 'ok' })
        lastHeartbeat.set({ worker: options.workerId }, Date.now() / 1000)
      },
      (error) => {
        heartbeats.inc({ worker: options.workerId, result: 'failed' })
        options.log.warn({ err: error }, 'heartbeat failed; will retry')
      },
    )
  }, HEARTBEAT_INTERVAL_MS)
  return {
    stop: async () => {
      clearInterval(timer)
      await markWorkerStopped(options.workerId)
    },
  }
}
