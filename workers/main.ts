// The worker process: heartbeat, wake-ups from Postgres, and a clean shutdown on SIGTERM.
import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import { config } from '@/lib/config'
import { prepareEnvironment } from '@/lib/runtime/environment'
import { log } from '@/lib/log'
import { closeDatabase } from '@/lib/db'
import { startHeartbeat } from './heartbeat'
import { listenForWork, WORK_CHANNEL } from './wakeups'

async function main(): Promise<void> {
  // Started by hand (`npm run worker`) next to a running `npm start`: join its embedded database.
  if (!process.env.DATABASE_URL) await prepareEnvironment({ database: 'reuse-only' })
  const settings = config()
  const workerId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`
  const workerLog = log.child({ workerId })

  // Signal handlers first: a SIGTERM during start-up must still end in a clean stop.
  let heartbeat: Awaited<ReturnType<typeof startHeartbeat>> | undefined
  let wakeups: Awaited<ReturnType<typeof listenForWork>> | undefined
  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    workerLog.info({ signal }, 'worker stopping')
    await startup.catch(() => {})
    await wakeups?.stop()
    await heartbeat?.stop()
    await closeDatabase()
    workerLog.info('worker stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))

  const startup = (async () => {
    heartbeat = await startHeartbeat({ workerId, capacity: settings.WORKER_CAPACITY, version: settings.version, log: workerLog })
    wakeups = await listenForWork(WORK_CHANNEL, (payload) => workerLog.debug({ payload }, 'woken'))
    workerLog.info({ capacity: settings.WORKER_CAPACITY }, 'worker started')
  })()
  await startup
}

main().catch((error) => {
  log.fatal({ err: error }, 'worker failed to start')
  process.exit(1)
})
