// Presence and the instance's own profile end to end: the API → the worker's real Baileys → the
// simulator, where the contact's phone sees "typing…" and everyone sees the name, about text and
// picture; and back: a contact the instance subscribed to goes online and types, and the
// PRESENCE_UPDATE webhook arrives. Bad bodies, bad pictures and another account's instance are refused.
import postgres from 'postgres'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { eventually } from '@/test-support/eventually'
import { startStack } from './support/stack'
import { createVerifiedAccount } from '@/test-support/accounts'
import { startTestSimulator } from './support/simulator'
import { dataPlane } from '@/test-support/data-plane'
import { mintKey, runCli } from '@/test-support/cli'
import { pairInstance } from '@/test-support/pairing'
import { startReceiver } from './support/webhook-receiver'

const receiver = await startReceiver(() => ({ status: 204 }))
const database = await useTestDatabase()
const sim = await startTestSimulator()
const stack = await startStack({ databaseUrl: database.url, env: sim.env })
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

const account = await createVerifiedAccount(database.url, { instances: ['typing-shop'] })
const other = await createVerifiedAccount(database.url, { instances: ['other-shop'] })
const api = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '10000'))
const otherApi = dataPlane(stack, mintKey(stack, other.email, '--rate-limit', '10000'))
runCli(stack.env, 'webhook:create', '--email', account.email, '--url', receiver.url, '--events', 'PRESENCE_UPDATE')

const OWN = '15557770000'
const RITA = '15557770001'
const SAM = '15557770002'
const LINA = '15557770003' // LID-addressed: WhatsApp names her by LID
const pn = (phone: string) => `${phone}@s.whatsapp.net`
await sim.client.createAccount(RITA, 'Rita')
await sim.client.createAccount(SAM, 'Sam')
await sim.client.createAccount(LINA, 'Lina', { addressing: 'lid' })
await pairInstance(api, sim, 'typing-shop', OWN)

const post = (path: string, body: unknown, as = api, name = 'typing-shop') => as(`${name}/chat/${path}`, { method: 'POST', body: JSON.stringify(body) })
const presenceWebhook = (match: (data: any) => boolean) =>
  eventually(async () => receiver.received.map((request) => JSON.parse(request.rawBody)).find((body) => body.event === 'PRESENCE_UPDATE' && match(body.data))?.data, 15_000)

describe('chat/sendPresence', () => {
  it("shows the contact's phone typing, recording and paused", async () => {
    for (const presence of ['composing', 'recording', 'paused']) {
      const answer = await post('sendPresence', { number: RITA, presence })
      expect(answer.status).toBe(200)
      expect(answer.body).toEqual({ jid: pn(RITA), presence, until: null })
    }
    const seen = await eventually(async () => {
      const { chatstates } = await sim.client.presence(RITA)
      return chatstates.length >= 3 ? chatstates : undefined
    })
    expect(seen.map((state) => [state.from, state.state])).toEqual([[OWN, 'composing'], [OWN, 'recording'], [OWN, 'paused']])
  })

  it('keeps "typing…" for the delay without holding the request, then pauses', async () => {
    const started = Date.now()
    const answer = await post('sendPresence', { number: SAM, presence: 'composing', delay: 1500 })
    expect(answer.status).toBe(200)
    expect(Date.parse(answer.body.until)).toBeGreaterThanOrEqual(started + 1500)
    expect((await sim.client.presence(SAM)).chatstates.map((state) => state.state)).toEqual(['composing'])
    const paused = await eventually(async () => (await sim.client.presence(SAM)).chatstates.find((state) => state.state === 'paused'))
    expect(paused.at - started).toBeGreaterThanOrEqual(1400)
  })

  it('refuses a bad presence, a delay over 60 s, and another account', async () => {
    const bad = await post('sendPresence', { number: RITA, presence: 'typing' })
    expect(bad.status).toBe(400)
    expect(bad.body.details.map((detail: { field: string }) => detail.field)).toEqual(['presence'])
    const long = await post('sendPresence', { number: RITA, presence: 'composing', delay: 60_001 })
    expect(long.status).toBe(400)
    expect(long.body.details).toEqual([expect.objectContaining({ field: 'delay', message: expect.stringContaining('60000') })])
    expect((await post('sendPresence', { number: RITA, presence: 'composing' }, otherApi)).status).toBe(404)
  })
})

describe('chat/subscribePresence', () => {
  it("delivers the contact's presence and typing as PRESENCE_UPDATE webhooks", async () => {
    expect((await post('subscribePresence', { number: SAM })).body).toEqual({ jid: pn(SAM), subscribed: true })
    const first = await presenceWebhook((data) => data.id === pn(SAM))
    expect(first.presences[pn(SAM)]).toEqual({ lastKnownPresence: 'unavailable', lastSeen: null })
    await sim.client.setPresence(SAM, true)
    await presenceWebhook((data) => data.presences[pn(SAM)]?.lastKnownPresence === 'available')
    expect(await sim.client.sendChatState(SAM, OWN, 'composing')).toEqual({ delivered: 1 })
    await presenceWebhook((data) => data.presences[pn(SAM)]?.lastKnownPresence === 'composing')
    await sim.client.setPresence(SAM, false)
    const offline = await presenceWebhook((data) => data.presences[pn(SAM)]?.lastKnownPresence === 'unavailable' && data.presences[pn(SAM)].lastSeen)
    expect(Date.parse(offline.presences[pn(SAM)].lastSeen)).toBeGreaterThan(Date.now() - 60_000)
    // Only subscribed chats: Rita typing reaches no connection of the instance.
    expect(await sim.client.sendChatState(RITA, OWN, 'composing')).toEqual({ delivered: 0 })
  })

  it('names a LID-addressed contact by her number once the instance knows it', async () => {
    // A send makes Baileys look her up (usync), which teaches it her LID.
    expect((await api('typing-shop/message/sendText', { method: 'POST', body: JSON.stringify({ number: LINA, text: 'Your order is ready' }) })).status).toBe(201)
    expect((await post('subscribePresence', { number: LINA })).status).toBe(200)
    await sim.client.sendChatState(LINA, OWN, 'composing')
    const typing = await presenceWebhook((data) => data.id === pn(LINA) && data.presences[pn(LINA)]?.lastKnownPresence === 'composing')
    expect(Object.keys(typing.presences)).toEqual([pn(LINA)])
  })

  it("names the member typing in a group", async () => {
    const group = await sim.client.createGroup({ creator: RITA, subject: 'Orders', participants: [OWN, SAM] })
    await eventually(async () => ((await sql`select 1 from instance_events where event = 'GROUPS_UPSERT' and data::text like ${`%${group.jid}%`}`).length ? true : undefined))
    expect((await post('subscribePresence', { number: group.jid })).status).toBe(200)
    await eventually(async () => ((await sim.client.presence(OWN)).subscriptions.includes(group.jid) ? true : undefined))
    expect(await sim.client.sendChatState(RITA, group.jid, 'recording')).toEqual({ delivered: 1 })
    const typing = await presenceWebhook((data) => data.id === group.jid)
    expect(typing.presences).toEqual({ [pn(RITA)]: { lastKnownPresence: 'recording', lastSeen: null } })
    expect((await post('sendPresence', { number: group.jid, presence: 'composing' })).status).toBe(200)
    await eventually(async () => (await sim.client.presence(SAM)).chatstates.find((state) => state.chat === group.jid && state.from === OWN))
  })

  it('refuses a bad number and another account', async () => {
    const bad = await post('subscribePresence', { number: 'someone' })
    expect(bad.status).toBe(400)
    expect(bad.body.details[0].field).toBe('number')
    expect((await post('subscribePresence', { number: SAM }, otherApi, 'typing-shop')).status).toBe(404)
    // The other account's own instance is not paired: its key reaches it, WhatsApp does not.
    expect((await post('subscribePresence', { number: SAM }, otherApi, 'other-shop')).body.error).toBe('instance_not_connected')
  })
})

describe('the instance profile', () => {
  it('sets the name, about text and picture, seen by the simulator and by chat/fetchProfile', async () => {
    const named = await post('updateProfileName', { name: 'Rita’s Bakery' })
    expect(named.status).toBe(200)
    expect(named.body).toEqual({ jid: pn(OWN), name: 'Rita’s Bakery' })
    await eventually(async () => ((await sim.client.profile(OWN)).name === 'Rita’s Bakery' ? true : undefined))
    // With a name the instance may go online.
    expect((await post('sendPresence', { number: RITA, presence: 'available' })).status).toBe(200)
    await eventually(async () => ((await sim.client.presence(OWN)).available ? true : undefined))

    expect((await post('updateProfileStatus', { status: 'Fresh bread from 7' })).body).toEqual({ jid: pn(OWN), name: 'Rita’s Bakery', status: 'Fresh bread from 7' })
    expect((await sim.client.profile(OWN)).about).toBe('Fresh bread from 7')

    const jpeg = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#c84' } }).jpeg().toBuffer()
    expect((await post('updateProfilePicture', { picture: jpeg.toString('base64') })).body).toMatchObject({ picture: true })
    const withPicture = await sim.client.profile(OWN)
    expect(withPicture.picture?.length).toBeGreaterThan(0)

    const own = await post('fetchProfile', {})
    expect(own.status).toBe(200)
    expect(own.body).toMatchObject({ jid: pn(OWN), name: 'Rita’s Bakery', about: 'Fresh bread from 7', pictureUrl: expect.stringContaining(`/pp/${OWN}/${withPicture.pictureId}.jpg`) })
    expect((await post('fetchProfilePictureUrl', { number: OWN })).body).toEqual({ jid: pn(OWN), profilePictureUrl: own.body.pictureUrl })

    const removed = await api('typing-shop/chat/removeProfilePicture', { method: 'DELETE' })
    expect(removed.body).toMatchObject({ picture: false })
    expect((await sim.client.profile(OWN)).pictureId).toBeUndefined()
    expect((await post('fetchProfilePictureUrl', {})).body).toEqual({ jid: pn(OWN), profilePictureUrl: null })
    expect((await sql`select push_name from instances where name = 'typing-shop'`)[0].push_name).toBe('Rita’s Bakery')
  })

  it('refuses bad names, texts and pictures as sendMedia does, and another account', async () => {
    const long = await post('updateProfileName', { name: 'x'.repeat(26) })
    expect(long.status).toBe(400)
    expect(long.body.details[0].field).toBe('name')
    expect((await post('updateProfileStatus', { status: 'y'.repeat(140) })).body.details[0].field).toBe('status')
    const notBase64 = await post('updateProfilePicture', { picture: 'not a picture!' })
    expect(notBase64.status).toBe(400)
    expect(notBase64.body.details[0].field).toBe('picture')
    const pdf = await post('updateProfilePicture', { picture: Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n').toString('base64') })
    expect(pdf.status).toBe(415)
    expect(pdf.body.error).toBe('unsupported_media')
    // A JPEG's first bytes and nothing after: file-type takes it, the picture cannot be read.
    const truncated = await post('updateProfilePicture', { picture: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]).toString('base64') })
    expect(truncated.status).toBe(415)
    const huge = await post('updateProfilePicture', { picture: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(17 * 1024 * 1024)]).toString('base64') })
    expect(huge.status).toBe(413)
    expect(huge.body.error).toBe('payload_too_large')
    expect((await post('updateProfileName', { name: 'Intruder' }, otherApi, 'typing-shop')).status).toBe(404)
    expect((await otherApi('typing-shop/chat/removeProfilePicture', { method: 'DELETE' })).status).toBe(404)
    expect((await sim.client.profile(OWN)).name).toBe('Rita’s Bakery')
  })
})
