// The worker process: its lease, wake-ups from Postgres, and a clean shutdown on SIGTERM.
import { config } from '@/lib/config'
import { prepareEnvironment } from '@/lib/runtime/environment'
import { log } from '@/lib/log'
import { quietLibsignal } from '@/lib/runtime/quiet-libsignal'
import { closeDatabase } from '@/lib/db'
import { WorkerLease } from './lease'
import { CHANNELS } from '@/lib/bus/channels'
import { subscribe } from '@/lib/bus/listener'
import { InstanceManager } from './instances/manager'
import { CommandRunner } from './instances/commands'
import { lifecycleHandlers } from './instances/lifecycle-commands'
import { OutboxSender } from './messaging/outbox'
import { policyClock } from './messaging/policy-clock'
import { chatHandlers } from './messaging/chat-commands'
import { chatSettingsHandlers } from './messaging/chat-settings-commands'
import { groupHandlers } from './messaging/group-commands'
import { presenceHandlers } from './messaging/presence-commands'
import { messageHandlers } from './messaging/message-commands'
import { requeueInterrupted } from '@/lib/store/commands'
import { startWebhookDispatcher } from './webhooks/dispatch'
import { exportTasks } from './exports/build'
import { trustConfiguredRootKey } from './whatsapp/root-key-trust'
import { registerWorkerGauges, startMetricsListener } from './metrics'
import { startRetentionPruning } from './events/retention'
import { startUndecryptableAnnouncer } from './messaging/undecryptable-announcer'
import { retryWithBackoff } from '@/lib/runtime/backoff'
import { installLastResortHandlers } from './last-resort'
import { ClientVersion } from './whatsapp/client-version'

quietLibsignal()

async function main(): Promise<void> {
  // Started by hand (`npm run worker`) next to a running `npm start`: join its embedded database.
  if (!process.env.DATABASE_URL) await prepareEnvironment({ database: 'reuse-only' })
  const settings = config()
  // Its id changes if the lease ever lapses (workers/lease.ts): everything below reads `lease.id` when it acts.
  const lease = new WorkerLease({ capacity: settings.WORKER_CAPACITY, version: settings.version, log })
  const workerLog = log.child({ workerId: lease.id })

  // Signal handlers first: a SIGTERM during start-up must still end in a clean stop.
  let registered = false
  let stopWakeups: (() => void) | undefined
  let webhooks: Awaited<ReturnType<typeof startWebhookDispatcher>> | undefined
  let metricsListener: Awaited<ReturnType<typeof startMetricsListener>> | undefined
  let retention: ReturnType<typeof startRetentionPruning> | undefined
  let undecryptable: ReturnType<typeof startUndecryptableAnnouncer> | undefined
  // Only when WA_ROOT_PUBLIC_KEY is set (tests and the demo, against the local simulator): trust that root key and media CA.
  const rootKeyTrust = trustConfiguredRootKey(settings)
  const clientVersion = new ClientVersion({
    pinned: settings.WA_VERSION,
    url: settings.WA_VERSION_URL,
    allowPrivate: settings.WEBHOOK_ALLOW_PRIVATE_URLS,
    log: workerLog,
  })
  const manager: InstanceManager = new InstanceManager({
    lease,
    capacity: settings.WORKER_CAPACITY,
    log: workerLog,
    waWebSocketUrl: settings.WA_WS_URL,
    sandboxUrl: settings.SANDBOX_URL,
    fetchAgent: rootKeyTrust?.fetchAgent,
    trustedCa: rootKeyTrust?.ca,
    allowPrivateProxy: settings.PROXY_ALLOW_PRIVATE_HOSTS,
    qrTimeoutMs: settings.WA_QR_TIMEOUT_MS,
    clientVersion,
    // Commands a dead owner left running run again here (handlers are written to be safe to repeat).
    onClaimed: (instanceId) => requeueInterrupted(instanceId),
    onOpen: (instanceId) => outbox.drain(instanceId),
    onTick: (held) =>
      held.forEach((instanceId) => {
        commands.drain(instanceId)
        outbox.drain(instanceId)
      }),
  })
  const outbox: OutboxSender = new OutboxSender({
    get workerId() {
      return lease.id
    },
    log: workerLog,
    sessionOf: (instanceId) => manager.sessions.get(instanceId),
    allowPrivateUrls: settings.WEBHOOK_ALLOW_PRIVATE_URLS,
    now: policyClock(settings),
  })
  const commands: CommandRunner = new CommandRunner({
    get workerId() {
      return lease.id
    },
    log: workerLog,
    sessionOf: (instanceId) => manager.sessions.get(instanceId),
    handlers: {
      ...lifecycleHandlers((instanceId) => manager.release(instanceId, { recordClose: false })),
      ...chatHandlers(outbox.numbers),
      ...chatSettingsHandlers(),
      ...messageHandlers(),
      ...groupHandlers({ allowPrivateUrls: settings.WEBHOOK_ALLOW_PRIVATE_URLS }),
      ...presenceHandlers({ allowPrivateUrls: settings.WEBHOOK_ALLOW_PRIVATE_URLS }),
    },
  })
  let stopping = false
  const shutdown = async (signal: string, exitCode = 0) => {
    if (stopping) return
    stopping = true
    workerLog.info({ signal }, 'worker stopping')
    // A step that hangs (the database gone for good) must not keep the process: leases expire anyway.
    setTimeout(() => {
      workerLog.warn('shutdown did not finish within 20 s; exiting')
      process.exit(exitCode)
    }, 20_000).unref()
    await startup.catch(() => {})
    // Each step on its own: with the database away, what cannot be handed over expires with its lease.
    const step = (name: string, work: () => Promise<unknown> | undefined) =>
      Promise.resolve()
        .then(work)
        .catch((error) => workerLog.warn({ err: error, step: name }, 'shutdown step failed'))
    stopWakeups?.()
    retention?.stop()
    undecryptable?.stop()
    clientVersion.stop()
    await step('webhooks', () => webhooks?.stop())
    outbox.shutDown()
    await Promise.all([commands.idle(), outbox.idle()])
    await step('instances', () => manager.stop())
    await step('lease', () => (registered ? lease.stop() : undefined))
    await step('metrics', () => metricsListener?.stop())
    await step('database', () => closeDatabase())
    workerLog.info('worker stopped')
    process.exit(exitCode)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
  // Hand the instances over at once if we still can; the supervisor restarts us either way.
  installLastResortHandlers(workerLog, () => void shutdown('uncaughtException', 1))

  // A database that is not there yet (or blinks during start-up) is waited for, never a crash.
  const untilDatabase = <T>(step: string, attempt: () => Promise<T>) =>
    retryWithBackoff(attempt, {
      shouldStop: () => stopping,
      onRetry: (error, delayMs) => workerLog.warn({ err: error, step, delayMs }, 'database not reachable at start-up; retrying'),
    })
  const startup = (async () => {
    await untilDatabase('register', () => lease.register())
    registered = true
    registerWorkerGauges(() => lease.id)
    if (settings.WORKER_METRICS_PORT !== undefined) {
      metricsListener = await startMetricsListener({ port: settings.WORKER_METRICS_PORT, token: settings.METRICS_TOKEN, log: workerLog })
    }
    webhooks = await untilDatabase('webhooks', () => startWebhookDispatcher({ log: workerLog, otherTasks: exportTasks(workerLog) }))
    retention = startRetentionPruning(workerLog)
    undecryptable = startUndecryptableAnnouncer({
      get workerId() {
        return lease.id
      },
      graceMs: settings.WA_UNDECRYPTABLE_GRACE_MS,
      log: workerLog,
    })
    // The web tier NOTIFYs after writing work rows; the rows are the truth, this only wakes us.
    stopWakeups = await untilDatabase('listen', async () => {
      // A new send only wants its instance's outbox (a pass returns at once unless this worker holds it).
      // Subscribed first: the shared LISTEN connection then shows `listen sage_work` last, which is what
      // operators (and e2e/worker-start-without-database) look for in pg_stat_activity.
      const stopOutbox = await subscribe(CHANNELS.outbox, (instanceId) => outbox.drain(instanceId))
      const stopWork = await subscribe(CHANNELS.work, (instanceId) => {
        manager.wake(instanceId)
        if (instanceId) {
          commands.drain(instanceId)
          outbox.drain(instanceId)
        }
      }).catch((error) => {
        stopOutbox() // the whole step is tried again
        throw error
      })
      return () => {
        stopOutbox()
        stopWork()
      }
    })
    // Before any socket: they all announce the version read here.
    await untilDatabase('client version', () => clientVersion.start())
    if (stopping) return
    manager.start()
    workerLog.info({ capacity: settings.WORKER_CAPACITY }, 'worker started')
  })()
  await startup
}

main().catch((error) => {
  log.fatal({ err: error }, 'worker failed to start')
  process.exit(1)
})
