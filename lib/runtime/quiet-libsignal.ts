import { log } from '@/lib/log'

/**
 * libsignal prints whole session records (private keys included) through console.info/warn when it
 * opens, closes or migrates a session. Those lines are reduced to their message, as a structured
 * debug log: no key material ever reaches stdout. Every process that runs libsignal calls this: the
 * worker, and wherever the simulator runs (its own process, the demo launcher, a test process).
 */
const LIBSIGNAL_MESSAGES = /^(Closing session|Opening session|Removing old closed session|Session already (closed|open)|Migrating session|Closing open session|Closing stale open session|Decrypted message with closed session|Failed to decrypt message|Session error|Unhandled bucket type)/

/** Marks the console already filtered, so a second call (several simulators in one process) does not wrap it twice. */
const QUIETED = Symbol.for('sage.quietLibsignal')

export function quietLibsignal(): void {
  const target = console as Console & { [QUIETED]?: true }
  if (target[QUIETED]) return
  target[QUIETED] = true
  for (const method of ['log', 'info', 'warn', 'error'] as const) {
    const original = console[method].bind(console)
    console[method] = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && LIBSIGNAL_MESSAGES.test(args[0])) {
        log.debug({ module: 'libsignal' }, args[0].replace(/:\s*$/, ''))
        return
      }
      original(...args)
    }
  }
}
