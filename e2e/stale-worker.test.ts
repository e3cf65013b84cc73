// A worker frozen past its lease (SIGSTOP) while another takes its instance over, then thawed
// (SIGCONT): its lease is gone for good. Its writes are refused (the instance stays open, wanted and
// owned by the new holder: the thawed socket's "replaced" close never lands), it closes its sockets
// without a logout and joins again under a new id, the phone sees one connection, and every send
// (before, during and after the freeze) reaches the recipient exactly once.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'
import { startTestSimulator } from './support/simulator'
import { createVerifiedAccount } from '@/test-support/accounts'
import { dataPlane } from '@/test-support/data-plane'
import { eventually } from '@/test-support/eventually'
import { mintKey } from '@/test-support/cli'
import { pairInstance } from '@/test-support/pairing'

const database = await useTestDatabase()
const sim = await startTestSimulator()
const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stale-worker-'))
const stack = await startStack({ databaseUrl: database.url, env: { ...sim.env, SEND_TIMEOUT_MS: '60000' }, workers: 2, logDir })
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

const NAME = 'frozen-shop'
const PHONE = '15557770001'
const ALICE = '919800000077'
const account = await createVerifiedAccount(database.url, { instances: [NAME] })
const api = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '1000'))
await sim.client.createAccount(ALICE, 'Alice')
await pairInstance(api, sim, NAME, PHONE)

async function instanceRow() {
  const [row] = await sql`select worker_id, state, desired_state, status_code from instances where name = ${NAME}`
  return row as { worker_id: string; state: string; desired_state: string; status_code: string }
}

/** sendText under an Idempotency-Key: 201, or 504 whose details promise the send (the README's contract). */
async function send(text: string): Promise<string> {
  const response = await api(`${NAME}/message/sendText`, { method: 'POST', body: JSON.stringify({ number: ALICE, text }), headers: { 'Idempotency-Key': text.replaceAll(' ', '-') } })
  if (response.status === 201) return response.body.key.id
  if (response.status === 504 && response.body?.details?.willBeSent === true) return response.body.details.messageId
  throw new Error(`send ${text}: ${response.status} ${JSON.stringify(response.body)}`)
}

const pidOf = (workerId: string) => Number(/-(\d+)-[0-9a-f]+$/.exec(workerId)![1])

describe('a worker frozen past its lease, then thawed', () => {
  it('is fenced out: the new holder keeps the instance, the stale one re-registers, one socket, every send once', async () => {
    const ids = [await send('before 0'), await send('before 1')]
    const { worker_id: frozenId } = await instanceRow()
    const frozen = stack.workers.find((worker) => worker.pid === pidOf(frozenId))!
    expect(frozen.exitCode).toBeNull()

    frozen.kill('SIGSTOP')
    try {
      const during = ['during 0', 'during 1', 'during 2'].map(send)
      // The other worker takes it over once the frozen one's lease lapses, and reconnects.
      const takenBy = await eventually(async () => {
        const row = await instanceRow()
        return row.worker_id !== frozenId && row.state === 'open' ? row.worker_id : undefined
      }, 40_000, 200)
      ids.push(...(await Promise.all(during)))
      const [{ max: openedAt }] = await sql`select max(e.seq)::bigint as max from instance_events e join instances i on i.id = e.instance_id where i.name = ${NAME}`

      frozen.kill('SIGCONT')
      // It learns at its next renewal that its lease is gone, and joins again under a new id.
      const rejoined = await eventually(async () => {
        const rows = await sql`select id from workers where pid = ${frozen.pid!} and id <> ${frozenId} and stopped_at is null`
        return rows[0]?.id as string | undefined
      }, 20_000, 200)
      expect(rejoined).not.toBe(frozenId)
      const [old] = await sql`select stopped_at from workers where id = ${frozenId}`
      expect(old.stopped_at, 'the claimer fenced the lapsed lease').not.toBeNull()
      ids.push(await send('after 0'))

      // None of the thawed worker's writes landed: the holder, the state and the wish are the new holder's.
      expect(await instanceRow()).toEqual({ worker_id: takenBy, state: 'open', desired_state: 'connected', status_code: 'open' })
      const later = await sql`
        select e.event, e.data from instance_events e join instances i on i.id = e.instance_id
        where i.name = ${NAME} and e.seq > ${openedAt} and e.event = 'CONNECTION_UPDATE'`
      expect(later, 'no connection change after the takeover').toEqual([])
      const log = fs.readFileSync(path.join(logDir, `worker-${frozen.pid}.log`), 'utf8')
      expect(log).toContain('lease lapsed; closing every socket without logout')
      expect(log).not.toMatch(/logged out|logout\(/i)
      // One connection for the phone's linked device at WhatsApp's end.
      const sessions = (await sim.client.sessions()).filter((session) => session.phone === PHONE)
      expect(sessions).toHaveLength(1)
      expect(frozen.exitCode).toBeNull()

      const received = await eventually(async () => {
        const messages = await sim.client.messages(ALICE, { from: PHONE })
        return ids.every((id) => messages.some((message) => message.id === id)) ? messages : undefined
      }, 60_000, 250)
      for (const id of ids) expect(received.filter((message) => message.id === id), id).toHaveLength(1)
      expect(received).toHaveLength(ids.length)
    } finally {
      if (frozen.signalCode === null && frozen.exitCode === null) frozen.kill('SIGCONT')
    }
  }, 180_000)
})
