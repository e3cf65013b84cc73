// A process running only the webhook dispatcher (the worker's code), for tests that SIGKILL it mid-delivery.
import { log } from '@/lib/log'
import { closeDatabase } from '@/lib/db'
import { startWebhookDispatcher } from '@/workers/webhooks/dispatch'

const dispatcher = await startWebhookDispatcher({ log })
process.stdout.write('dispatcher ready\n')
process.on('SIGTERM', async () => {
  await dispatcher.stop()
  await closeDatabase()
  process.exit(0)
})
