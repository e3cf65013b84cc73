// The send policy: sends are paced by a minimum gap (each held one answers QUEUED_BY_POLICY with its
// planned time, and they go out in order), and the daily cap on new chats holds the next new contact
// until the next day. The worker's policy clock is moved forward by the test (SAGE_TEST_CLOCK_FILE,
// honoured only against the simulator) instead of waiting for midnight.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { eventually } from '@/test-support/eventually'
import { startStack } from './support/stack'
import { startTestSimulator } from './support/simulator'
import { createVerifiedAccount } from '@/test-support/accounts'
import { dataPlane } from '@/test-support/data-plane'
import { mintKey } from '@/test-support/cli'
import { pairInstance } from '@/test-support/pairing'
import { DEFAULT_POLICY } from '@/lib/messages/send-policy'

const clockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage-policy-clock-'))
const clockFile = path.join(clockDir, 'offset-ms')
afterAll(() => fs.rmSync(clockDir, { recursive: true, force: true }))

const database = await useTestDatabase()
const sim = await startTestSimulator()
// Held sends answer at once (QUEUED_BY_POLICY), so the default send timeout is plenty.
const stack = await startStack({ databaseUrl: database.url, env: { ...sim.env, SAGE_TEST_CLOCK_FILE: clockFile } })
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

const OWN = '15551191000'
const ALICE = '919876519101'
const BOB = '919876519102'
const NEW_CONTACTS = Array.from({ length: 22 }, (_, i) => `9198765192${String(i).padStart(2, '0')}`)
const api = await (async () => {
  try {
    const account = await createVerifiedAccount(database.url, { instances: ['shop'] })
    const api = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '10000'))
    for (const [phone, name] of [[ALICE, 'Alice'], [BOB, 'Bob'], ...NEW_CONTACTS.map((phone, i) => [phone, `Contact ${i}`])]) await sim.client.createAccount(phone, name)
    await pairInstance(api, sim, 'shop', OWN)
    return api
  } catch (error) {
    await stack.stop() // a file that fails while loading runs no afterAll: do not leave the processes behind
    throw error
  }
})()

const setPolicy = async (sendPolicy: Record<string, unknown>) => {
  const response = await api('shop/settings/set', { method: 'POST', body: JSON.stringify({ sendPolicy }) })
  expect(response.status, JSON.stringify(response.body)).toBe(201)
  return response.body.settings.settings.sendPolicy
}

const sendText = (number: string, text: string, extra: Record<string, unknown> = {}) =>
  api('shop/message/sendText', { method: 'POST', body: JSON.stringify({ number, text, ...extra }) })

async function received(phone: string, text: string) {
  const messages = await sim.client.messages(phone, { from: OWN })
  return messages.filter((message) => JSON.stringify(message.message).includes(`"${text}"`))
}

describe('the send policy', () => {
  it('is stored with the settings and refuses bad values naming the field', async () => {
    expect((await api('shop/settings/find')).body.sendPolicy).toEqual({ minGapMs: 0, jitterMs: 0, typingMsPerChar: 0, newChatsPerDay: null, warmUp: false, quietHours: null, timeZone: 'UTC' })
    for (const [sendPolicy, field] of [
      [{ minGapMs: -1 }, 'sendPolicy.minGapMs'],
      [{ timeZone: 'Mars/Olympus' }, 'sendPolicy.timeZone'],
      [{ quietHours: { from: '25:00', to: '08:00' } }, 'sendPolicy.quietHours.from'],
    ] as const) {
      const response = await api('shop/settings/set', { method: 'POST', body: JSON.stringify({ sendPolicy }) })
      expect(response.status).toBe(400)
      expect(response.body.details.map((detail: { field: string }) => detail.field)).toContain(field)
    }
    expect(await setPolicy({ newChatsPerDay: 20 })).toMatchObject({ newChatsPerDay: 20, minGapMs: 0, timeZone: 'UTC' })
  })

  it('holds the 21st new contact of the day until the next day; chats that wrote to us and transactional sends go now', async () => {
    await setPolicy({ newChatsPerDay: 20, timeZone: 'UTC', minGapMs: 0, jitterMs: 0 })
    for (const [i, phone] of NEW_CONTACTS.slice(0, 20).entries()) {
      const response = await sendText(phone, `hello ${i}`)
      expect(response.status, JSON.stringify(response.body)).toBe(201)
      expect(response.body.status).toBe('SERVER_ACK')
    }
    const held = await sendText(NEW_CONTACTS[20], 'hello 20')
    expect(held.status).toBe(201)
    const tomorrow = new Date(new Date().setUTCHours(24, 0, 0, 0)).toISOString()
    expect(held.body).toMatchObject({ status: 'QUEUED_BY_POLICY', policyReason: 'new_chat_cap', plannedAt: tomorrow })

    // Someone who wrote to this number is not a new chat; a transactional send skips the hold.
    await sim.client.send(BOB, { to: OWN, text: 'hi shop' })
    await eventually(async () => ((await sql`select 1 from messages where remote_jid = ${`${BOB}@s.whatsapp.net`} and not from_me`).length ? true : undefined))
    expect((await sendText(BOB, 'hello Bob')).body.status).toBe('SERVER_ACK')
    expect((await sendText(NEW_CONTACTS[21], 'your code is 1234', { priority: 'transactional' })).body.status).toBe('SERVER_ACK')
    expect(await received(NEW_CONTACTS[20], 'hello 20')).toEqual([])

    // Tomorrow, as far as the worker's policy clock is concerned: the held send goes out.
    fs.writeFileSync(clockFile, String(Date.parse(tomorrow) - Date.now() + 1_000))
    const [message] = await eventually(async () => {
      const found = await received(NEW_CONTACTS[20], 'hello 20')
      return found.length ? found : undefined
    }, 20_000)
    expect(message.id).toBe(held.body.key.id)
    const history = (await api(`shop/messages/${held.body.key.id}`)).body.statusHistory.map((entry: { status: string }) => entry.status)
    expect(history.slice(0, 3)).toEqual(['PENDING', 'QUEUED_BY_POLICY', 'SERVER_ACK'])
  }, 120_000)

  it('50 sends with a 1 s minimum gap take at least 49 s, in order, each with its planned time', async () => {
    await setPolicy({ newChatsPerDay: null, minGapMs: 1_000, jitterMs: 100 })
    // The gap runs from the last send: start with one that goes out now.
    const answers = []
    for (let i = 0; i < 50; i++) {
      const response = await sendText(ALICE, `paced ${i}`)
      expect(response.status, JSON.stringify(response.body)).toBe(201)
      answers.push(response.body)
    }
    const held = answers.filter((answer) => answer.status === 'QUEUED_BY_POLICY')
    expect(held.length).toBeGreaterThanOrEqual(49)
    const planned = held.map((answer) => Date.parse(answer.plannedAt))
    for (let i = 1; i < planned.length; i++) expect(planned[i] - planned[i - 1]).toBeGreaterThanOrEqual(1_000)

    const ids = answers.map((answer) => answer.key.id)
    const rows = await eventually(
      async () => {
        const rows = await sql`select wa_id, send_started_at, sent_at from messages where wa_id = any(${ids}) and sent_at is not null order by send_started_at`
        return rows.length === ids.length ? rows : undefined
      },
      90_000,
      500,
    )
    expect(rows.map((row) => row.wa_id), 'sent in order').toEqual(ids)
    const started = rows.map((row) => new Date(row.send_started_at).getTime())
    for (let i = 1; i < started.length; i++) expect(started[i] - started[i - 1], `gap before paced ${i}`).toBeGreaterThanOrEqual(950)
    expect(started.at(-1)! - started[0]).toBeGreaterThanOrEqual(49_000)
    const messages = await sim.client.messages(ALICE, { from: OWN })
    for (let i = 0; i < 50; i++) expect(messages.filter((message) => JSON.stringify(message.message).includes(`"paced ${i}"`)), `paced ${i}`).toHaveLength(1)
  }, 150_000)
})

describe('the defaults', () => {
  it('a new instance has the protective policy on: a gap with jitter, typing, 20 new chats a day with warm-up', async () => {
    const FRESH = '15551191999'
    fs.writeFileSync(clockFile, '0') // the policy clock back on time (the cap test moved it a day ahead)
    const account = await createVerifiedAccount(database.url, { instances: ['fresh'] })
    const fresh = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '10000'))
    const defaults = (await fresh('fresh/settings/find')).body.sendPolicy
    expect(defaults).toEqual(DEFAULT_POLICY)
    // The values the guide documents, spelled out so a change of DEFAULT_POLICY is seen here too.
    expect(defaults).toMatchObject({ minGapMs: 3_000, jitterMs: 2_000, typingMsPerChar: 40, newChatsPerDay: 20, warmUp: true, quietHours: null })
    await pairInstance(fresh, sim, 'fresh', FRESH, 30_000, { keepDefaultPolicy: true })
    const send = (text: string) => fresh('fresh/message/sendText', { method: 'POST', body: JSON.stringify({ number: BOB, text }) })
    const first = await send('first under the defaults')
    expect(first.body.status, JSON.stringify(first.body)).toBe('SERVER_ACK')
    const second = await send('second under the defaults')
    expect(second.body).toMatchObject({ status: 'QUEUED_BY_POLICY', policyReason: 'gap' })
    const [firstRow] = await sql`select sent_at, send_started_at, accepted_at from messages where wa_id = ${first.body.key.id}`
    const plannedGap = Date.parse(second.body.plannedAt) - new Date(firstRow.sent_at).getTime()
    expect(plannedGap).toBeGreaterThanOrEqual(2_900)
    expect(plannedGap).toBeLessThanOrEqual(5_200)
    // "typing…" for 40 ms a character came before the first send: started well after it was accepted.
    expect(new Date(firstRow.send_started_at).getTime() - new Date(firstRow.accepted_at).getTime()).toBeGreaterThanOrEqual('first under the defaults'.length * 40 - 50)
    await eventually(async () => {
      const messages = await sim.client.messages(BOB, { from: FRESH })
      return messages.some((message) => JSON.stringify(message.message).includes('second under the defaults')) ? true : undefined
    }, 15_000)
  }, 60_000)
})
