// Keeps a child process running: `npm start` uses it for its worker.
import type { ChildProcess } from 'node:child_process'
import { stopChild } from './processes'
import { backoffDelay } from './backoff'

export type Supervised = {
  /** The child running now (or the last one, while waiting to restart). */
  current: () => ChildProcess
  /** How many times the child was started again after exiting unasked. */
  restarts: () => number
  /** Stops the child and restarts no more. */
  stop: () => Promise<void>
}

/**
 * Starts `spawn()` and starts it again whenever the child exits without being asked to, waiting
 * longer after each quick exit (1 s, 2 s, 4 s … up to 30 s) so a child that cannot start does not
 * spin; a child that ran for `healthyAfterMs` counts as healthy and resets the wait.
 */
export function supervise(options: {
  name: string
  spawn: () => ChildProcess
  say: (line: string) => void
  minDelayMs?: number
  maxDelayMs?: number
  healthyAfterMs?: number
}): Supervised {
  const healthyAfterMs = options.healthyAfterMs ?? 30_000
  let stopping = false
  let quickExits = 0
  let restarts = 0
  let timer: NodeJS.Timeout | undefined
  let child: ChildProcess

  const start = () => {
    const startedAt = Date.now()
    child = options.spawn()
    child.once('exit', (code, signal) => {
      if (stopping) return
      quickExits = Date.now() - startedAt >= healthyAfterMs ? 0 : quickExits + 1
      const delayMs = backoffDelay(Math.max(0, quickExits - 1), { minMs: options.minDelayMs ?? 1_000, maxMs: options.maxDelayMs ?? 30_000 })
      options.say(`The ${options.name} exited (${signal ?? `code ${code}`}); starting it again in ${(delayMs / 1000).toFixed(1)} s.`)
      timer = setTimeout(() => {
        if (stopping) return
        restarts++
        start()
      }, delayMs)
    })
  }
  start()

  return {
    current: () => child,
    restarts: () => restarts,
    stop: async () => {
      stopping = true
      clearTimeout(timer)
      await stopChild(child)
    },
  }
}
