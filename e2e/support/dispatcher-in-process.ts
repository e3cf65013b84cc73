// vitest glue: the worker's webhook dispatcher inside the test process, for files that check
// deliveries without starting a worker process.
import { afterAll, beforeAll } from 'vitest'

/**
 * Starts the dispatcher before the file's tests and stops it after them. Call it once the
 * environment it reads (DATABASE_URL, the WEBHOOK_* settings) is in place: it is imported lazily.
 */
export function dispatchWebhooksInThisProcess(): void {
  let dispatcher: { stop: () => Promise<void> } | undefined
  beforeAll(async () => {
    const { log } = await import('@/lib/log')
    const { startWebhookDispatcher } = await import('@/workers/webhooks/dispatch')
    dispatcher = await startWebhookDispatcher({ log })
  })
  afterAll(async () => {
    await dispatcher?.stop()
  })
}
