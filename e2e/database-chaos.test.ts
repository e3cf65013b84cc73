// Issue 14's "done when": two workers under traffic while the service's Postgres backends are
// terminated every couple of seconds — 0 worker deaths, 0 incoming messages lost, 0 sends handed to
// WhatsApp twice, every receipt applied. Then a burst of sends with the instance's worker killed
// (-9) in the middle: every message reaches the recipient's phone exactly once.
import type { ChildProcess } from 'node:child_process'
import postgres from 'postgres'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
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
  logDir: process.env.CHAOS_LOG_DIR, // a folder to keep each process's log in, when looking into a failure
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

const PER_INSTANCE = 100
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

/** Runs `each` over `items` with at most `limit` in flight, each lane resting `gapMs` after an item. */
async function pool<T, R>(items: T[], limit: number, each: (item: T) => Promise<R>, gapMs = 0): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++
        results[index] = await each(items[index])
        if (gapMs) await new Promise((resolve) => setTimeout(resolve, gapMs))
      }
    }),
  )
  return results
}

// A stream, not a burst: on a quiet machine 200 sends take a second or two, which would leave the
// terminator no time to cut anything. Paced, each direction lasts at least about 12 s (five or more
// termination rounds), however fast the machine is.
const INCOMING_GAP_MS = 250 // 4 lanes × 50 messages
const SEND_GAP_MS = 500 // 8 lanes × 25 sends

/**
 * sendText with an Idempotency-Key, retried with the same key when the web tier itself lost its
 * connection (5xx, network). A 504 whose details say `willBeSent` is an answer (the README's
 * contract: the message goes out exactly once, under `details.messageId`), not a failure.
 */
async function send(name: InstanceName, text: string): Promise<{ id?: string; status: number; attempts: number; body?: unknown }> {
  for (let attempt = 1; ; attempt++) {
    const response = await api(`${name}/message/sendText`, {
      method: 'POST',
      body: JSON.stringify({ number: ALICE, text }),
      headers: { 'Idempotency-Key': text.replaceAll(' ', '-') },
    }).catch(() => ({ status: 0, body: undefined }))
    if (response.status === 201) return { id: response.body.key.id, status: 201, attempts: attempt }
    if (response.status === 504 && response.body?.details?.willBeSent === true) return { id: response.body.details.messageId, status: 504, attempts: attempt }
    if ((response.status === 0 || response.status >= 500) && attempt < 20) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 250 * attempt))) // the web tier reconnecting
      continue
    }
    return { status: response.status, attempts: attempt, body: response.body }
  }
}

/** The service's own backends: web and worker pools, LISTEN connections and the webhook queue. */
function startTerminating(everyMs: number) {
  let terminated = 0
  let rounds = 0
  let running: Promise<void> = Promise.resolve()
  const timer = setInterval(() => {
    running = (async () => {
      const rows = await sql`
        select pg_terminate_backend(pid) from pg_stat_activity
        where datname = ${database.name} and application_name in ('web', 'worker', 'worker-queue')`
      terminated += rows.length
      rounds++
    })().catch(() => {}) // a round the test's own connection missed is simply not counted
  }, everyMs)
  return {
    stop: async () => {
      clearInterval(timer)
      await running
      return { terminated, rounds }
    },
  }
}

// A test that timed out keeps running in the background: its terminator must not outlive it.
let stopTerminating: (() => Promise<unknown>) | undefined
afterEach(() => stopTerminating?.())

function watchDeaths(workers: ChildProcess[]) {
  const deaths: string[] = []
  for (const worker of workers) worker.once('exit', (code, signal) => deaths.push(`worker ${worker.pid}: ${signal ?? code}`))
  return deaths
}

describe('terminating the service’s Postgres backends every 2.5 s under traffic', () => {
  it('200 incoming and 200 sends across two workers: no worker dies, nothing is lost or sent twice, every receipt is applied', async () => {
    const deaths = watchDeaths(stack.workers)
    const chaos = startTerminating(2_500)
    stopTerminating = chaos.stop
    const incomingIds: string[] = []
    const incomingTexts = INSTANCES.flatMap((name) => Array.from({ length: PER_INSTANCE }, (_, i) => ({ name, text: `in ${name} ${i}` })))
    const incoming = pool(incomingTexts, 4, async ({ name, text }) => incomingIds.push((await sim.client.send(ALICE, { to: OWN[name], text })).id), INCOMING_GAP_MS)
    const sendTexts = INSTANCES.flatMap((name) => Array.from({ length: PER_INSTANCE }, (_, i) => ({ name, text: `out ${name} ${i}` })))
    let sends: Awaited<ReturnType<typeof send>>[]
    try {
      sends = await pool(sendTexts, 8, ({ name, text }) => send(name, text), SEND_GAP_MS)
      await incoming
    } finally {
      await chaos.stop() // also when the test fails or times out: the next one runs without it
    }
    const { terminated, rounds } = await chaos.stop()
    expect(rounds).toBeGreaterThan(3)
    expect(terminated).toBeGreaterThanOrEqual(rounds) // every round found backends to cut

    // 0 worker deaths.
    expect(deaths).toEqual([])
    // Every send was taken (retrying the same Idempotency-Key when the web tier lost its connection).
    const unanswered = sends.filter((outcome) => !outcome.id)
    expect(unanswered, JSON.stringify(unanswered.slice(0, 5))).toEqual([])

    // 0 incoming messages lost: each is stored once.
    const stored = await settle(
      () => sql`select wa_id from messages where not from_me and wa_id = any(${incomingIds})`,
      (rows) => rows.length >= incomingIds.length,
      30_000,
    )
    const storedIds = new Set(stored.map((row) => row.wa_id as string))
    expect(incomingIds.filter((id) => !storedIds.has(id)), 'incoming messages lost').toEqual([])

    // 0 sent twice, none lost: Alice's phone got each text once, under one id, in one copy on the wire.
    const sentIds = sends.map((outcome) => outcome.id!)
    const received = await settle(
      async () => (await Promise.all(INSTANCES.map((name) => sim.client.messages(ALICE, { from: OWN[name] })))).flat(),
      (messages) => sentIds.every((id) => messages.some((message) => message.id === id)),
      30_000,
    )
    const perText = sendTexts.map(({ text }) => received.filter((message) => textOf(message).includes(`"${text}"`)).length)
    expect(perText.filter((count) => count !== 1).length, 'texts not received exactly once').toBe(0)
    expect(received.filter((message) => (message.copies ?? 1) > 1).map((message) => message.id), 'handed to WhatsApp twice').toEqual([])

    // Every receipt applied: Alice's phone reads each message (automatic receipts), so each send ends READ.
    const statuses = await settle(
      () => sql`select wa_id, status from messages where from_me and wa_id = any(${sentIds})`,
      (rows) => rows.length === sentIds.length && rows.every((row) => row.status === 'READ'),
      30_000,
    )
    expect(statuses.filter((row) => row.status !== 'READ').map((row) => `${row.wa_id} ${row.status}`), 'receipts not applied').toEqual([])
    expect(statuses).toHaveLength(sentIds.length)
  }, 600_000)
})

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
    expect(sends.filter((outcome) => !outcome.id), 'sends not taken').toEqual([])

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
