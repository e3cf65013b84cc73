// Scheduled sends (`sendAt`): they go out once at their time, also when the worker holding the
// instance is killed (-9) in between and the other worker takes it over; a cancelled one never goes
// out; bad times are refused naming `sendAt`; forwards, polls and stickers are scheduled alike.
import postgres from 'postgres'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { eventually } from '@/test-support/eventually'
import { startStack } from './support/stack'
import { startTestSimulator } from './support/simulator'
import { createVerifiedAccount } from '@/test-support/accounts'
import { dataPlane } from '@/test-support/data-plane'
import { mintKey } from '@/test-support/cli'
import { pairInstance } from '@/test-support/pairing'

const database = await useTestDatabase()
const sim = await startTestSimulator()
const stack = await startStack({ databaseUrl: database.url, workers: 2, env: sim.env })
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

const OWN = '15551190000'
const ALICE = '919876519001'
const api = await (async () => {
  try {
    const account = await createVerifiedAccount(database.url, { instances: ['clinic'] })
    const api = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '10000'))
    await sim.client.createAccount(ALICE, 'Alice')
    await pairInstance(api, sim, 'clinic', OWN)
    return api
  } catch (error) {
    await stack.stop() // a file that fails while loading runs no afterAll: do not leave the processes behind
    throw error
  }
})()

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString()

const sendText = (text: string, extra: Record<string, unknown> = {}) =>
  api('clinic/message/sendText', { method: 'POST', body: JSON.stringify({ number: ALICE, text, ...extra }) })

async function schedule(text: string, sendAt: string, extra: Record<string, unknown> = {}): Promise<string> {
  const response = await sendText(text, { sendAt, ...extra })
  expect(response.status, JSON.stringify(response.body)).toBe(201)
  expect(response.body).toMatchObject({ status: 'SCHEDULED', sendAt: new Date(sendAt).toISOString(), key: { fromMe: true } })
  return response.body.key.id
}

async function receivedWithText(text: string) {
  const messages = await sim.client.messages(ALICE, { from: OWN })
  return messages.filter((message) => JSON.stringify(message.message).includes(`"${text}"`))
}

async function sentAt(id: string): Promise<Date | undefined> {
  const [row] = await sql`select sent_at from messages where wa_id = ${id} and via_api`
  return row?.sent_at ?? undefined
}

async function sendUpdates(id: string): Promise<string[]> {
  const rows = await sql`select data->>'status' as status from instance_events where event = 'SEND_MESSAGE_UPDATE' and data->'key'->>'id' = ${id} order by seq`
  return rows.map((row) => row.status)
}

describe('scheduled sends', () => {
  it('refuses a sendAt in the past, beyond 30 days or without an offset, naming the field', async () => {
    for (const sendAt of [inMs(-60_000), inMs(31 * 86_400_000), '2030-01-01T09:00:00', 'tomorrow']) {
      const response = await sendText('never', { sendAt })
      expect(response.status, sendAt).toBe(400)
      expect(response.body.error).toBe('invalid_request')
      expect(response.body.details.map((detail: { field: string }) => detail.field), sendAt).toContain('sendAt')
    }
    expect(await receivedWithText('never')).toEqual([])
  })

  it('goes out once at its time, reported SCHEDULED → PENDING → SERVER_ACK; a delay with it starts at sendAt', async () => {
    // A first send warms the recipient's number lookup and session, so the scheduled one measures only the schedule.
    expect((await sendText('warm-up')).status).toBe(201)
    const sendAt = inMs(3_000)
    const id = await schedule('on time', sendAt)
    const delayedAt = inMs(3_000)
    const delayedId = await schedule('on time, typed for a second', delayedAt, { delay: 1_000 })

    const listed = await api('clinic/chat/scheduled?limit=1')
    expect(listed.status).toBe(200)
    expect(listed.body.messages).toEqual([expect.objectContaining({ key: expect.objectContaining({ id }), status: 'SCHEDULED', sendAt, waiting: null })])
    const second = await api(`clinic/chat/scheduled?limit=1&cursor=${listed.body.nextCursor}`)
    expect(second.body.messages.map((message: { key: { id: string } }) => message.key.id)).toEqual([delayedId])
    expect(second.body.nextCursor).toBeNull()

    const [message] = await eventually(async () => ((await receivedWithText('on time')).length ? receivedWithText('on time') : undefined), 15_000)
    expect(message.id).toBe(id)
    // The recipient may have it a moment before the worker has recorded the acknowledgement.
    const at = (await eventually(() => sentAt(id))).getTime()
    expect(at).toBeGreaterThanOrEqual(Date.parse(sendAt))
    expect(at - Date.parse(sendAt), 'sent within a second of sendAt').toBeLessThan(1_000)
    await eventually(async () => ((await sentAt(delayedId)) ? true : undefined), 15_000)
    expect((await sentAt(delayedId))!.getTime()).toBeGreaterThanOrEqual(Date.parse(delayedAt) + 1_000)

    // Receipts (DELIVERY_ACK, READ) may follow.
    expect((await sendUpdates(id)).slice(0, 3)).toEqual(['SCHEDULED', 'PENDING', 'SERVER_ACK'])
    expect((await api(`clinic/messages/${id}`)).body.statusHistory.map((entry: { status: string }) => entry.status).slice(0, 3)).toEqual(['SCHEDULED', 'PENDING', 'SERVER_ACK'])
    expect((await api('clinic/chat/scheduled')).body.messages).toEqual([])
    // Once it went out it can no longer be called off; an id the instance never sent is unknown.
    expect((await api(`clinic/messages/${id}`, { method: 'DELETE' })).body.error).toBe('already_sent')
    expect((await api('clinic/messages/3EB0000000000000000000', { method: 'DELETE' })).status).toBe(404)
    expect(await receivedWithText('on time')).toHaveLength(1)
  }, 60_000)

  it('a cancelled send never goes out', async () => {
    // Far enough ahead that a slow machine still cancels it before it is due (a due one answers 409).
    const cancelledId = await schedule('called off', inMs(6_000))
    // The sentinel is due after the cancelled one: once it arrived, the cancelled one's time is long past.
    const sentinelId = await schedule('sentinel', inMs(7_000))
    const cancelled = await api(`clinic/messages/${cancelledId}`, { method: 'DELETE' })
    expect(cancelled.status).toBe(200)
    expect(cancelled.body).toMatchObject({ key: { id: cancelledId }, status: 'CANCELLED' })
    expect((await api(`clinic/messages/${cancelledId}`, { method: 'DELETE' })).status, 'cancelling twice is the same as once').toBe(200)

    await eventually(async () => ((await receivedWithText('sentinel')).length ? true : undefined), 15_000)
    expect(await receivedWithText('called off')).toEqual([])
    expect((await api(`clinic/messages/${cancelledId}`)).body.status).toBe('CANCELLED')
    expect(await sendUpdates(cancelledId)).toEqual(['SCHEDULED', 'CANCELLED'])
    // The recipient may have it a moment before the worker has recorded the acknowledgement.
    expect(await eventually(() => sentAt(sentinelId))).toBeInstanceOf(Date)
  }, 30_000)

  it('forward, sendPoll and sendSticker take sendAt too: each answers SCHEDULED and goes out once at its time', async () => {
    const original = await sendText('worth passing on')
    expect(original.status).toBe(201)
    const webp = await sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 128, b: 0, alpha: 1 } } }).webp().toBuffer()
    const sendAt = inMs(3_000)
    const post = (path: string, body: Record<string, unknown>) => api(`clinic/message/${path}`, { method: 'POST', body: JSON.stringify({ number: ALICE, sendAt, ...body }) })
    const answers = await Promise.all([
      post('forward', { key: { id: original.body.key.id } }),
      post('sendPoll', { name: 'Scheduled poll?', values: ['Yes', 'No'] }),
      post('sendSticker', { sticker: webp.toString('base64') }),
    ])
    const ids = answers.map((answer) => {
      expect(answer.status, JSON.stringify(answer.body)).toBe(201)
      expect(answer.body).toMatchObject({ status: 'SCHEDULED', sendAt: new Date(sendAt).toISOString() })
      return answer.body.key.id as string
    })
    for (const id of ids) {
      const at = (await eventually(() => sentAt(id), 15_000)).getTime()
      expect(at).toBeGreaterThanOrEqual(Date.parse(sendAt))
      expect((await sendUpdates(id)).slice(0, 3)).toEqual(['SCHEDULED', 'PENDING', 'SERVER_ACK'])
    }
    const inbox = await eventually(async () => {
      const messages = (await sim.client.messages(ALICE, { from: OWN })).filter((message) => ids.includes(message.id))
      return messages.length === ids.length ? messages : undefined
    }, 15_000)
    const byId = new Map(inbox.map((message) => [message.id, message]))
    expect(byId.get(ids[0])!.message.extendedTextMessage).toMatchObject({ text: 'worth passing on', contextInfo: { isForwarded: true } })
    expect(byId.get(ids[1])!.message.pollCreationMessage).toMatchObject({ name: 'Scheduled poll?' })
    expect(byId.get(ids[2])!.mediatype).toBe('sticker')
  }, 60_000)

  it('survives a worker killed (-9): the other worker sends each once, a due one as soon as it holds the instance', async () => {
    const [holder] = await sql`select worker_id from instances where name = 'clinic'`
    const pid = Number(/-(\d+)-[0-9a-f]+$/.exec(holder.worker_id)![1])
    const victim = stack.workers.find((worker) => worker.pid === pid)!
    expect(victim.exitCode).toBeNull()

    const soonAt = inMs(3_000)
    const soonId = await schedule('across a kill, soon', soonAt)
    // Due after the takeover (a 15 s lease, then a reconnect): sent on time by the new holder.
    const laterAt = inMs(35_000)
    const laterId = await schedule('across a kill, later', laterAt)
    victim.kill('SIGKILL')

    // While nobody holds the instance, the due send waits and says why.
    const waiting = await eventually(async () => {
      const { body } = await api('clinic/chat/scheduled')
      const soon = body.messages?.find((message: { key: { id: string } }) => message.key.id === soonId)
      return /waiting for/.test(soon?.waiting ?? '') ? soon.waiting : undefined
    }, 15_000)
    expect(waiting).toMatch(/^Due, waiting for/)

    await eventually(async () => ((await sentAt(soonId)) ? true : undefined), 40_000)
    const [newHolder] = await sql`select worker_id from instances where name = 'clinic'`
    expect(newHolder.worker_id).not.toBe(holder.worker_id)

    await eventually(async () => ((await sentAt(laterId)) ? true : undefined), 45_000)
    const at = (await sentAt(laterId))!.getTime()
    expect(at).toBeGreaterThanOrEqual(Date.parse(laterAt))
    expect(at - Date.parse(laterAt), 'sent within a second of sendAt').toBeLessThan(1_000)

    for (const [id, text] of [
      [soonId, 'across a kill, soon'],
      [laterId, 'across a kill, later'],
    ]) {
      const received = await eventually(async () => {
        const found = await receivedWithText(text)
        return found.length ? found : undefined
      }, 15_000)
      expect(received.map((message) => message.id)).toEqual([id])
      expect((await sendUpdates(id)).slice(0, 3)).toEqual(['SCHEDULED', 'PENDING', 'SERVER_ACK'])
    }
  }, 120_000)
})
