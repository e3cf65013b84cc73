// A burst of sends with the instance's worker killed (-9) in the middle: every message reaches the
// recipient's phone exactly once, under the id its send was given.
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'
import { startTestSimulator } from './support/simulator'
import { createVerifiedAccount } from '@/test-support/accounts'
import { dataPlane } from '@/test-support/data-plane'
import { mintKey } from '@/test-support/cli'
import { pairInstance } from '@/test-support/pairing'
import type { ReceivedMessage } from '@/simulator/client'

const database = await useTestDatabase()
const sim = await startTestSimulator()
// A send may wait out a lease takeover (15 s) and a reconnect after the kill below. Small pools: the
// test is about connections being cut, not about many of them, and the machine's Postgres is shared.
const stack = await startStack({
  databaseUrl: database.url,
  workers: 2,
  env: { ...sim.env, SEND_TIMEOUT_MS: '90000', DATABASE_POOL_SIZE: '3', WEBHOOK_CONCURRENCY: '2' },
})
const sql = postgres(database.url, { max: 2, onnotice: () => {}, connection: { application_name: 'chaos-test' } })
afterAll(() => sql.end())

const ALICE = '919800000001'
const OWN = { 'chaos-a': '15553330001', 'chaos-b': '15553330002' } as const
type InstanceName = keyof typeof OWN
const INSTANCES = Object.keys(OWN) as InstanceName[]
const api = await (async () => {
  try {
    const account = await createVerifiedAccount(database.url, { instances: INSTANCES })
    const api = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '10000'))
    await sim.client.createAccount(ALICE, 'Alice')
    for (const name of INSTANCES) await pairInstance(api, sim, name, OWN[name])
    return api
  } catch (error) {
    await stack.stop() // a file that fails while loading runs no afterAll: do not leave the processes behind
    throw error
  }
})()

const textOf = (message: ReceivedMessage) => JSON.stringify(message.message)

/** Polls `read` until `done` holds or the time is up, and returns the last reading either way (the assertions then say what is missing). */
async function settle<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

/** Runs `each` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: T[], limit: number, each: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++
        results[index] = await each(items[index])
      }
    }),
  )
  return results
}

/** sendText with an Idempotency-Key, retried with the same key when the web tier itself lost its connection (5xx, network). */
async function send(name: InstanceName, text: string): Promise<{ id?: string; status: number; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    const response = await api(`${name}/message/sendText`, {
      method: 'POST',
      body: JSON.stringify({ number: ALICE, text }),
      headers: { 'Idempotency-Key': text.replaceAll(' ', '-') },
    }).catch(() => ({ status: 0, body: undefined }))
    if (response.status === 201) return { id: response.body.key.id, status: 201, attempts: attempt }
    if ((response.status === 0 || response.status >= 500) && attempt < 20) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 250 * attempt))) // the web tier reconnecting
      continue
    }
    return { status: response.status, attempts: attempt }
  }
}

/** The service's own backends: web and worker pools, LISTEN connections and the webhook queue. */
describe('a burst of sends with the instance’s worker killed (-9) in the middle', () => {
  it('every message reaches the recipient’s phone exactly once', async () => {
    const [holder] = await sql`select worker_id from instances where name = 'chaos-a'`
    const pid = Number(/-(\d+)-[0-9a-f]+$/.exec(holder.worker_id)![1])
    const victim = stack.workers.find((worker) => worker.pid === pid)!
    expect(victim.exitCode).toBeNull()

    const texts = Array.from({ length: 50 }, (_, i) => `burst ${i}`)
    const sending = pool(texts, 50, (text) => send('chaos-a', text))
    // Kill it once part of the burst is out, while the rest is in flight.
    await settle(
      () => sql`select count(*)::int as sent from messages where from_me and sent_at is not null and message::text like '%burst %'`,
      ([row]) => row.sent >= 10,
      60_000,
    )
    victim.kill('SIGKILL')
    stack.startWorker()
    const sends = await sending
    expect(sends.filter((outcome) => outcome.status !== 201), 'sends not answered 201').toEqual([])

    const ids = sends.map((outcome) => outcome.id!)
    const received = await settle(
      () => sim.client.messages(ALICE, { from: OWN['chaos-a'] }),
      (messages) => ids.every((id) => messages.some((message) => message.id === id)),
      60_000,
    )
    const perText = texts.map((text) => received.filter((message) => textOf(message).includes(`"${text}"`)).length)
    expect(perText.map((count, i) => (count === 1 ? null : `${texts[i]}: ${count}`)).filter(Boolean), 'not received exactly once').toEqual([])
    // Each arrived under the id its send was given (a resend after the kill reuses it).
    for (const id of ids) expect(received.filter((message) => message.id === id)).toHaveLength(1)
  }, 300_000)
})
