// A send nobody takes in time: 504, cancelled, and never sent later, not even by the next owner.
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { eventually } from '@/test-support/eventually'
import { startStack } from './support/stack'
import { createVerifiedAccount } from '@/test-support/accounts'
import { startTestSimulator } from './support/simulator'
import { dataPlane } from '@/test-support/data-plane'
import { mintKey } from '@/test-support/cli'
import { pairInstance } from '@/test-support/pairing'

const database = await useTestDatabase()
const sim = await startTestSimulator()
const stack = await startStack({ databaseUrl: database.url, env: { ...sim.env, SEND_TIMEOUT_MS: '2000' } })
const account = await createVerifiedAccount(database.url, { instances: ['desk'] })
const api = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '1000'))
const OWN = '15553330000'
const CAROL = '33612345678'
await pairInstance(api, sim, 'desk', OWN)

const sendText = (text: string, headers: Record<string, string> = {}) =>
  api('desk/message/sendText', { method: 'POST', body: JSON.stringify({ number: CAROL, text }), headers })

describe('504 timeout', () => {
  it('cancels a message no worker started, says so, and the next owner never sends it', async () => {
    const [worker] = stack.workers
    worker.kill('SIGKILL')
    await new Promise((resolve) => worker.once('exit', resolve))

    const key = { 'Idempotency-Key': 'ticket-42' }
    const timedOut = await sendText('too late', key)
    expect(timedOut.status).toBe(504)
    expect(timedOut.body).toMatchObject({ error: 'timeout', details: { willBeSent: false, messageId: expect.any(String) } })
    const cancelled = await api(`desk/messages/${timedOut.body.details.messageId}`)
    expect(cancelled.body).toMatchObject({ status: 'ERROR', error: { code: 'timeout' } })

    stack.startWorker()
    // Once a worker holds the instance again, a retry with the same key is a fresh attempt (nothing was sent).
    const retried = await eventually(async () => {
      const response = await sendText('too late', key)
      return response.status === 201 ? response : undefined
    }, 40_000, 500)
    await eventually(async () => (await sim.client.messages(CAROL, { from: OWN })).find((m) => m.id === retried.body.key.id), 15_000)
    const copies = (await sim.client.messages(CAROL, { from: OWN })).filter((m) => JSON.stringify(m.message).includes('too late'))
    expect(copies.map((m) => m.id)).toEqual([retried.body.key.id])
  }, 90_000)
})
