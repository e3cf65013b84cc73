// Instance settings and calls end to end: the API → the worker's live socket (real Baileys) → the
// simulator's phones. Rejected calls with their reply, ignored groups, auto-read, and bad input.
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { eventually } from '@/test-support/eventually'
import { startStack } from './support/stack'
import { createVerifiedAccount } from '@/test-support/accounts'
import { startTestSimulator } from './support/simulator'
import { dataPlane } from '@/test-support/data-plane'
import { mintKey } from '@/test-support/cli'
import { pairInstance } from '@/test-support/pairing'
import { TEST_SEND_POLICY } from '@/test-support/send-policy'

const database = await useTestDatabase()
const sim = await startTestSimulator()
const stack = await startStack({ databaseUrl: database.url, env: sim.env, readyTimeoutMs: 180_000 })
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

const { WEBHOOK_EVENT_DATA } = await import('@/lib/api/openapi/webhook-events')

const account = await createVerifiedAccount(database.url, { instances: ['acme-calls'] })
const other = await createVerifiedAccount(database.url, { instances: ['other-shop'] })
const api = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '10000'))
const OWN = '15551112222'
const ALICE = '919876543210'
const BOB = '447700900123'
await sim.client.createAccount(ALICE, 'Alice')
await sim.client.createAccount(BOB, 'Bob')
await pairInstance(api, sim, 'acme-calls', OWN, 90_000)

const setSettings = (body: unknown, name = 'acme-calls') => api(`${name}/settings/set`, { method: 'POST', body: JSON.stringify(body) })

async function callEvents(callId: string) {
  const rows = await sql`select data from instance_events where event = 'CALL' and data->>'id' = ${callId} order by seq`
  return rows.map((row) => row.data)
}

async function storedFrom(remoteJid: string) {
  return sql`select wa_id from messages where remote_jid = ${remoteJid} and from_me = false`
}

describe('settings/find and settings/set', () => {
  it('starts with the defaults and changes only what is sent', async () => {
    const found = await api('acme-calls/settings/find')
    expect(found.status).toBe(200)
    expect(found.body).toEqual({
      rejectCall: false,
      msgCall: null,
      groupsIgnore: false,
      statusIgnore: true,
      channelsIgnore: false,
      alwaysOnline: false,
      readMessages: false,
      readStatus: false,
      syncFullHistory: false,
      // pairInstance turned the send policy off (test-support/send-policy.ts); its defaults: e2e/send-policy.test.ts.
      sendPolicy: { ...TEST_SEND_POLICY, timeZone: 'UTC' },
    })
    const set = await setSettings({ alwaysOnline: true, channelsIgnore: true })
    expect(set.status).toBe(201)
    expect(set.body.settings.instanceName).toBe('acme-calls')
    expect(set.body.settings.settings).toMatchObject({ alwaysOnline: true, channelsIgnore: true, rejectCall: false, statusIgnore: true })
    // An Evolution API body (all six switches, msgCall, wavoipToken) is accepted as it is.
    const evolution = await setSettings({ rejectCall: false, msgCall: '', groupsIgnore: false, alwaysOnline: false, readMessages: false, readStatus: false, syncFullHistory: false, wavoipToken: '' })
    expect(evolution.status).toBe(201)
    expect((await api('acme-calls/settings/find')).body).toMatchObject({ alwaysOnline: false, channelsIgnore: true, msgCall: null })
  })

  it('refuses bad input with codes, and another account’s instance is not found', async () => {
    const cases: [unknown, string][] = [
      [{}, '(body)'],
      [{ rejectCall: 'yes' }, 'rejectCall'],
      [{ msgCall: 'call me\u0000maybe' }, 'msgCall'],
      [{ msgCall: 'x'.repeat(1001) }, 'msgCall'],
      [{ readMessages: true, somethingElse: true }, '(body)'],
    ]
    for (const [body, field] of cases) {
      const response = await setSettings(body)
      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(response.body.error).toBe('invalid_request')
      expect(JSON.stringify(response.body.details)).toContain(field)
    }
    const notJson = await api('acme-calls/settings/set', { method: 'POST', body: '{"rejectCall": tru', headers: { 'content-type': 'application/json' } })
    expect(notJson.body.error).toBe('invalid_json')
    for (const response of [await setSettings({ rejectCall: true }, 'other-shop'), await api('other-shop/settings/find'), await api('other-shop/proxy/find')]) {
      expect(response.status).toBe(404)
      expect(response.body.error).toBe('instance_not_found')
    }
    const [row] = await sql`select count(*)::int as count from instance_settings s join instances i on i.id = s.instance_id where i.user_id = ${other.userId}`
    expect(row.count).toBe(0)
  })
})

describe('calls', () => {
  it('rejects a call when rejectCall is on and sends msgCall to the caller', async () => {
    const reply = 'Sorry, we do not take calls here. Please write to us.'
    expect((await setSettings({ rejectCall: true, msgCall: reply })).status).toBe(201)
    const placed = await sim.client.placeCall(ALICE, { to: OWN })
    expect(placed.deliveries.every((delivery) => delivery.status === 'sent')).toBe(true)
    // Alice's phone sees the call declined by the instance's device, and then the reply.
    const call = await eventually(async () => {
      const current = await sim.client.getCall(placed.id)
      return current.status === 'rejected' ? current : undefined
    })
    expect(call.events.find((event) => event.action === 'reject')?.by).toMatch(new RegExp(`^${OWN}:[1-9]`))
    const received = await eventually(async () => (await sim.client.messages(ALICE, { from: OWN })).find((message) => JSON.stringify(message.message).includes(reply)))
    expect(received.from.startsWith(OWN)).toBe(true)
    const events = await eventually(async () => {
      const rows = await callEvents(placed.id)
      return rows.length >= 2 ? rows : undefined
    })
    expect(events[0]).toMatchObject({ id: placed.id, status: 'offer', from: `${ALICE}@s.whatsapp.net`, isVideo: false, isGroup: false, offline: false })
    expect(events[1]).toMatchObject({ id: placed.id, status: 'reject', rejectedByInstance: true })
    for (const data of events) expect(WEBHOOK_EVENT_DATA.CALL.schema.safeParse(data).error).toBeUndefined()
  })

  it('lets calls ring when rejectCall is off and records video, accept, timeout and hang-up', async () => {
    expect((await setSettings({ rejectCall: false })).status).toBe(201)
    const video = await sim.client.placeCall(BOB, { to: OWN, video: true })
    await eventually(async () => ((await callEvents(video.id)).length === 1 ? true : undefined))
    await sim.client.callAction(video.id, 'accept')
    const accepted = await eventually(async () => {
      const rows = await callEvents(video.id)
      return rows.length === 2 ? rows : undefined
    })
    expect(accepted.map((row) => row.status)).toEqual(['offer', 'accept'])
    expect(accepted.every((row) => row.isVideo === true && row.from === `${BOB}@s.whatsapp.net`)).toBe(true)
    expect((await sim.client.getCall(video.id)).status).toBe('accepted')

    const unanswered = await sim.client.placeCall(ALICE, { to: OWN })
    await eventually(async () => ((await callEvents(unanswered.id)).length === 1 ? true : undefined))
    await sim.client.callAction(unanswered.id, 'timeout')
    const timedOut = await eventually(async () => {
      const rows = await callEvents(unanswered.id)
      return rows.length === 2 ? rows : undefined
    })
    expect(timedOut.map((row) => row.status)).toEqual(['offer', 'timeout'])
    expect(timedOut[0].isVideo).toBe(false)

    const declined = await sim.client.placeCall(ALICE, { to: OWN })
    await sim.client.callAction(declined.id, 'reject')
    const rejected = await eventually(async () => {
      const rows = await callEvents(declined.id)
      return rows.length === 2 ? rows : undefined
    })
    expect(rejected.map((row) => row.status)).toEqual(['offer', 'reject'])
    expect(rejected[1]).not.toHaveProperty('rejectedByInstance')
  })

  it('says when a call is a group call', async () => {
    const group = await sim.client.createGroup({ creator: ALICE, subject: 'Call group', participants: [OWN, BOB] })
    const placed = await sim.client.placeCall(ALICE, { to: OWN, groupJid: group.jid })
    const [offer] = await eventually(async () => {
      const rows = await callEvents(placed.id)
      return rows.length ? rows : undefined
    })
    expect(offer).toMatchObject({ status: 'offer', isGroup: true, groupJid: group.jid })
  })
})

describe('ignoring groups', () => {
  it('stores and announces nothing from groups while groupsIgnore is on, and again once it is off', async () => {
    const group = await sim.client.createGroup({ creator: ALICE, subject: 'Noisy group', participants: [OWN, BOB] })
    expect((await setSettings({ groupsIgnore: true })).status).toBe(201)
    const ignored = await sim.client.groupSend(group.jid, { from: ALICE, text: 'nobody should store this' })
    // A 1:1 message sent after it is stored: the group message before it has been handled by then.
    const direct = await sim.client.send(BOB, { to: OWN, text: 'but this one, yes' })
    await eventually(async () => ((await storedFrom(`${BOB}@s.whatsapp.net`)).some((row) => row.wa_id === direct.id) ? true : undefined))
    expect((await storedFrom(group.jid)).map((row) => row.wa_id)).not.toContain(ignored.id)
    const announced = await sql`select 1 from instance_events where event = 'MESSAGES_UPSERT' and data->'key'->>'id' = ${ignored.id}`
    expect(announced).toHaveLength(0)

    expect((await setSettings({ groupsIgnore: false })).status).toBe(201)
    const kept = await sim.client.groupSend(group.jid, { from: ALICE, text: 'now it counts' })
    await eventually(async () => ((await storedFrom(group.jid)).some((row) => row.wa_id === kept.id) ? true : undefined))
  })
})

describe('marking incoming messages as read', () => {
  it('sends read receipts only while readMessages is on', async () => {
    const before = await sim.client.send(ALICE, { to: OWN, text: 'read me later' })
    await eventually(async () => ((await storedFrom(`${ALICE}@s.whatsapp.net`)).some((row) => row.wa_id === before.id) ? true : undefined))
    expect((await setSettings({ readMessages: true })).status).toBe(201)
    const after = await sim.client.send(ALICE, { to: OWN, text: 'read me now' })
    await eventually(async () => ((await sim.client.receipts(ALICE)).some((receipt) => receipt.id === after.id && receipt.type === 'read') ? true : undefined))
    expect((await sim.client.receipts(ALICE)).filter((receipt) => receipt.id === before.id && receipt.type === 'read')).toHaveLength(0)
    expect((await setSettings({ readMessages: false })).status).toBe(201)
  })
})
