// Announces the messages that arrived undecryptable and were not resent readable within the grace
// period (WA_UNDECRYPTABLE_GRACE_MS): workers/whatsapp/undecryptable.ts holds them as rows, so a restart
// or a failover loses none; each worker sweeps the instances it holds.
import type { Logger } from '@/lib/log'
import { announceDueUndecryptable } from '@/lib/store/messages'

export function startUndecryptableAnnouncer(options: { workerId: string; graceMs: number; log: Logger }): { stop: () => void } {
  // Often enough that an announcement comes soon after its grace period ends, and never busier than 5 per second.
  const everyMs = Math.min(Math.max(Math.round(options.graceMs / 4), 200), 5_000)
  let running = false
  const sweep = async () => {
    if (running) return
    running = true
    try {
      for (let announced = await announceDueUndecryptable(options.workerId, options.graceMs); announced > 0; ) {
        options.log.info({ announced }, 'messages that never became readable announced as undecryptable')
        announced = await announceDueUndecryptable(options.workerId, options.graceMs)
      }
    } catch (error) {
      options.log.warn({ err: error }, 'announcing undecryptable messages failed; will retry')
    } finally {
      running = false
    }
  }
  const timer = setInterval(() => void sweep(), everyMs)
  timer.unref()
  options.log.info({ graceMs: options.graceMs }, 'undecryptable-message announcer started')
  return {
    stop: () => {
      clearInterval(timer)
      options.log.info('undecryptable-message announcer stopped')
    },
  }
}
