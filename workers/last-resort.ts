import type { Logger } from '@/lib/log'

/**
 * What to do with an error nothing caught, once every pool, client and loop has its own handling.
 *
 * - An unhandled rejection is a promise nobody awaited (a fire-and-forget write, a library's
 *   background call). It unwound its own stack; what it did not finish is in Postgres, which every
 *   loop of this worker re-reads on a timer (lease tick, outbox and command drains, heartbeat,
 *   webhook sweep). Logged as an error and the worker keeps going: dying for it would drop every
 *   WhatsApp socket this worker holds.
 * - An uncaught exception unwound a stack in the middle of something synchronous, so in-memory
 *   state (a socket, a half-updated map) may be torn; Node documents resuming as unsafe. Logged as
 *   fatal, then `onFatal` stops the worker (handing its instances over) and exits non-zero so the
 *   supervisor (`npm start`, systemd, Kubernetes) starts a fresh one.
 */
export function installLastResortHandlers(log: Logger, onFatal: () => void): void {
  process.on('unhandledRejection', (reason) => {
    log.error({ err: reason }, 'unhandled rejection (logged; the worker keeps going)')
  })
  process.on('uncaughtException', (error) => {
    log.fatal({ err: error }, 'uncaught exception; stopping so the supervisor restarts the worker')
    onFatal()
  })
}
