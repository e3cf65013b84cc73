// graphile-worker's runner on a pool of its own, kept running across lost database connections.
import pg from 'pg'
import { run, type Logger as JobLogger, type Runner, type TaskList } from 'graphile-worker'
import { config } from '@/lib/config'
import type { Logger } from '@/lib/log'
import { retryWithBackoff } from '@/lib/runtime/backoff'

export type QueueRunnerOptions = {
  taskList: TaskList
  concurrency: number
  pollInterval: number
  log: Logger
  logger: JobLogger
  /**
   * graphile-worker's batching (https://worker.graphile.org/docs/performance#batching): jobs are
   * fetched `localQueueSize` at a time (handed back unstarted after `localQueueTtlMs`), and the
   * completions of jobs ending together are written by one statement. Off when absent.
   */
  batching?: { localQueueSize: number; localQueueTtlMs: number }
}

/**
 * With batching, a running job holds no connection: jobs are fetched and completed in batches, so
 * connections past ten serve nothing but Postgres' connection count; the 2 are the batch fetch and
 * completion running while every slot is busy.
 */
export const queuePoolSize = (concurrency: number) => Math.min(concurrency, 10) + 2

/**
 * Starts the runner (waiting for the database if it is down) and starts it again whenever it stops
 * without being asked to, e.g. after graphile-worker gave up on a connection. What graphile-worker
 * cannot write back while the database is away (a job's success or failure) is logged by its
 * patched worker loop (patches/graphile-worker+0.17.3.patch) instead of being an unhandled
 * rejection; the job stays locked until the dispatcher's stale-lock sweep frees it.
 */
export async function startQueueRunner(options: QueueRunnerOptions): Promise<{ stop: () => Promise<void> }> {
  const settings = config()
  // Our own pool, so its clients keep an error listener for their whole life: graphile-worker drops
  // its listeners at stop, and a connection the server then closes (a restart, a terminated
  // backend) must be logged, not crash the worker with an unhandled 'error' event.
  const pool = new pg.Pool({
    connectionString: settings.DATABASE_URL,
    max: queuePoolSize(options.concurrency),
    application_name: `${settings.SAGE_SERVICE}-queue`,
  })
  const onPoolError = (error: Error) => options.log.warn({ err: error }, 'webhook queue connection error')
  pool.on('error', onPoolError)
  pool.on('connect', (client) => client.on('error', onPoolError))

  let stopping = false
  let runner: Runner | undefined
  const start = () =>
    retryWithBackoff(
      () =>
        run({
          pgPool: pool,
          concurrency: options.concurrency,
          noHandleSignals: true,
          pollInterval: options.pollInterval,
          taskList: options.taskList,
          logger: options.logger,
          ...(options.batching
            ? {
                preset: {
                  worker: {
                    localQueue: { size: options.batching.localQueueSize, ttl: options.batching.localQueueTtlMs },
                    completeJobBatchDelay: 0,
                  },
                },
              }
            : {}),
        }),
      { shouldStop: () => stopping, onRetry: (error, delayMs) => options.log.warn({ err: error, delayMs }, 'webhook queue could not start; retrying') },
    )

  const keepRunning = (current: Runner) => {
    runner = current
    current.promise.then(
      () => restart(undefined),
      (error: unknown) => restart(error),
    )
  }
  const restart = (error: unknown) => {
    if (stopping) return
    options.log.error({ err: error }, 'webhook queue stopped on its own; starting it again')
    void start().then((next) => {
      if (!next) return
      if (stopping) void next.stop()
      else keepRunning(next)
    })
  }

  const first = await start()
  if (first) keepRunning(first)

  return {
    stop: async () => {
      stopping = true
      await runner?.stop().catch((error: unknown) => options.log.warn({ err: error }, 'webhook queue stopped with an error'))
      await pool.end()
    },
  }
}
