// vitest glue for test-support/webhook-receiver.ts: the receiver a test file starts is closed after the file.
import { afterAll } from 'vitest'
import { startWebhookReceiver, type ReceivedWebhook, type Reply, type WebhookReceiver } from '@/test-support/webhook-receiver'

export type { ReceivedWebhook, Reply, WebhookReceiver }

export async function startReceiver(reply?: (request: ReceivedWebhook, index: number) => Reply): Promise<WebhookReceiver> {
  const receiver = await startWebhookReceiver(reply)
  afterAll(receiver.close)
  return receiver
}
