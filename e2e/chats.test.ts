// Reading what happened: chat/findMessages, chat/findChats and chat/findContacts end to end. The
// simulated phone pushes 1,000 messages of one chat in its history sync and contacts write live
// through the real Baileys; the reads page through them by cursor (no gaps, no repeats while new
// messages arrive), search captions with Postgres full-text search, and keep chats and contacts
// current from live traffic. Another account's data stays out of reach.
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

const database = await useTestDatabase()
const sim = await startTestSimulator()
const stack = await startStack({ databaseUrl: database.url, env: sim.env })
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end())
// The store's own writes, in this process, on the test's database (the other account's chat).
process.env.DATABASE_URL = database.url
const { upsertChats } = await import('@/lib/store/chats')

const account = await createVerifiedAccount(database.url, { instances: ['chats-shop'] })
const other = await createVerifiedAccount(database.url, { instances: ['other-shop'] })
const api = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '10000'))
const otherApi = dataPlane(stack, mintKey(stack, other.email, '--rate-limit', '10000'))

const OWN = '15556660000'
const BULK = '15556660001' // 1,000 messages of history
const PRIYA = '15556660002' // live traffic
const OLGA = '15556660003' // an archived chat of the history, with a saved name
const pn = (phone: string) => `${phone}@s.whatsapp.net`
const BULK_COUNT = 1000
const now = Math.floor(Date.now() / 1000)
const BULK_MUTED_UNTIL = (now + 8 * 3600) * 1000
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

const priya = await sim.client.createAccount(PRIYA, 'Priya', { addressing: 'lid' })
await sim.client.seedHistory(OWN, {
  full: 'never',
  chats: [
    {
      with: BULK,
      pushName: 'Bulk Buyer',
      unreadCount: 3,
      mutedUntil: BULK_MUTED_UNTIL,
      // Four messages share each second: the cursor must order ties too.
      messages: Array.from({ length: BULK_COUNT }, (_, i) => ({ id: `BULK${i}`, fromMe: i % 5 === 4, text: `bulk message ${i}`, timestamp: now - 3600 + Math.floor(i / 4) })),
    },
    // Muted with no end on the phone: WhatsApp's history says so with a muteEndTime of 2^64 - 1.
    { with: OLGA, pushName: 'Olga', savedName: 'Olga (supplier)', archived: true, mutedUntil: -1, messages: [{ id: 'OLGA0', text: 'the pallets ship monday', timestamp: now - 7200 }] },
  ],
})
await pairInstance(api, sim, 'chats-shop', OWN)
const instance = (await sql`select id, user_id from instances where name = 'chats-shop'`)[0]
await eventually(async () => {
  const [{ n }] = await sql`select count(*)::int as n from messages where instance_id = ${instance.id} and from_history`
  return n >= BULK_COUNT + 1 ? true : undefined
}, 60_000, 250)

const post = (path: string, body: unknown, as = api, name = 'chats-shop') => as(`${name}/chat/${path}`, { method: 'POST', body: JSON.stringify(body) })

async function upsertOf(id: string): Promise<any> {
  return eventually(async () => (await sql`select data from instance_events where event = 'MESSAGES_UPSERT' and instance_id = ${instance.id} order by seq`).find((row) => row.data.key.id === id)?.data, 15_000)
}

describe('chat/findMessages', () => {
  it('pages through 1,000 history messages newest first, without gaps or repeats while new messages arrive', async () => {
    const seen: string[] = []
    const times: number[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page: { status: number; body: any } = await post('findMessages', { where: { key: { remoteJid: pn(BULK) } }, limit: 100, ...(cursor ? { cursor } : {}) })
      expect(page.status, JSON.stringify(page.body)).toBe(200)
      seen.push(...page.body.messages.map((m: any) => m.key.id))
      times.push(...page.body.messages.map((m: any) => m.messageTimestamp as number))
      cursor = page.body.nextCursor
      pages += 1
      // A message arriving mid-way is newer than every page still to come: it never shows up in them.
      if (pages === 3) {
        const live = await sim.client.send(BULK, { to: OWN, text: 'arrived while paging' })
        await upsertOf(live.id)
      }
    } while (cursor)
    expect(pages).toBe(BULK_COUNT / 100)
    expect(new Set(seen).size).toBe(seen.length)
    expect(times).toEqual([...times].sort((a, b) => b - a))
    expect([...seen].sort()).toEqual(Array.from({ length: BULK_COUNT }, (_, i) => `BULK${i}`).sort())
    // newest first: a later first page starts with the live message
    const first = await post('findMessages', { where: { key: { remoteJid: pn(BULK) } }, limit: 1 })
    expect(first.body.messages[0].message).toEqual({ conversation: 'arrived while paging' })
  })

  it('orders by time and keeps ties in a stable order across pages', async () => {
    const all = await post('findMessages', { where: { key: { remoteJid: pn(BULK) }, messageTimestamp: { lte: now } }, limit: 100 })
    const times = all.body.messages.map((m: any) => m.messageTimestamp)
    expect(times).toEqual([...times].sort((a: number, b: number) => b - a))
    const one = await post('findMessages', { where: { key: { remoteJid: pn(BULK) }, messageTimestamp: { gte: now - 3600, lte: now - 3600 + 1 } }, limit: 100 })
    expect(one.body.messages.map((m: any) => m.key.id).sort()).toEqual(['BULK0', 'BULK1', 'BULK2', 'BULK3', 'BULK4', 'BULK5', 'BULK6', 'BULK7'])
  })

  it('keeps messages stored in the same second in the order they were stored', async () => {
    // Row ids are time-ordered (UUIDv7, drizzle/0023): the tie-break of (message_timestamp, id) is the order of storing.
    // With random ids, six rows of one second would come back in this order once in 720 runs.
    const second = now - 9000 // older than Olga's history message, which stays her chat's last
    for (let i = 0; i < 6; i++) {
      await sql`insert into messages (instance_id, user_id, wa_id, remote_jid, from_me, message_type, message, message_timestamp, status)
        values (${instance.id}, ${instance.user_id}, ${`TIE${i}`}, ${pn(OLGA)}, false, 'conversation', ${sql.json({ conversation: `tie ${i}` })}, ${second}, 'DELIVERY_ACK')`
    }
    const page = await post('findMessages', { where: { key: { remoteJid: pn(OLGA) }, messageTimestamp: { gte: second, lte: second } }, limit: 10 })
    expect(page.status, JSON.stringify(page.body)).toBe(200)
    expect(page.body.messages.map((m: any) => m.key.id)).toEqual(['TIE5', 'TIE4', 'TIE3', 'TIE2', 'TIE1', 'TIE0'])
  })

  it('filters by fromMe, id and message type, and finds a word in a caption', async () => {
    const mine = await post('findMessages', { where: { key: { remoteJid: pn(BULK), fromMe: true } }, limit: 100 })
    expect(mine.body.messages.length).toBe(100)
    expect(mine.body.messages.every((m: any) => m.key.fromMe && Number(m.key.id.slice(4)) % 5 === 4)).toBe(true)

    const photo = await sim.client.send(PRIYA, { to: OWN, media: { type: 'image', base64: PNG.toString('base64'), mimetype: 'image/png', caption: 'Invoice for the blue Teapot, order 1042' } })
    const upsert = await upsertOf(photo.id)
    const found = await post('findMessages', { text: 'teapot' })
    expect(found.status).toBe(200)
    expect(found.body.messages.map((m: any) => m.key.id)).toEqual([photo.id])
    // the same shape as the MESSAGES_UPSERT webhook's data, with the status and media URL
    expect(found.body.messages[0]).toEqual({ ...upsert, editedAt: null, deletedAt: null })
    expect(found.body.messages[0].media.url).toBe(`/api/v1/instance/chats-shop/messages/${photo.id}/media`)
    expect((await post('findMessages', { text: '"blue teapot" 1042' })).body.messages.map((m: any) => m.key.id)).toEqual([photo.id])
    expect((await post('findMessages', { text: 'teapot -blue' })).body.messages).toEqual([])
    expect((await post('findMessages', { text: 'bulk 777' })).body.messages.map((m: any) => m.key.id)).toEqual(['BULK777'])

    const images = await post('findMessages', { where: { messageType: 'imageMessage' } })
    expect(images.body.messages.map((m: any) => m.key.id)).toEqual([photo.id])
    const byId = await post('findMessages', { where: { key: { id: 'BULK500' } } })
    expect(byId.body.messages).toHaveLength(1)
    expect(byId.body.messages[0]).toMatchObject({ key: { remoteJid: pn(BULK), fromMe: false, id: 'BULK500' }, message: { conversation: 'bulk message 500' } })
    // a LID-only or number-only name of the chat finds the same messages
    const byLid = await post('findMessages', { where: { key: { remoteJid: priya.lid } } })
    expect(byLid.status, JSON.stringify(byLid.body)).toBe(200)
    expect(byLid.body.messages.map((m: any) => m.key.id)).toContain(photo.id)
    expect((await post('findMessages', { where: { key: { remoteJid: PRIYA } } })).body.messages.map((m: any) => m.key.id)).toContain(photo.id)
  })

  it('refuses a bad cursor (400 naming cursor), bad input (400), and an unknown chat (404 chat_not_found)', async () => {
    for (const cursor of ['not a cursor', 'eyJ4IjoxfQ', Buffer.from(JSON.stringify({ t: 1, j: 'x' })).toString('base64url')]) {
      const bad = await post('findMessages', { cursor })
      expect([bad.status, bad.body.error], cursor).toEqual([400, 'invalid_request'])
      expect(bad.body.details.map((d: any) => d.field)).toEqual(['cursor'])
    }
    const tooMany = await post('findMessages', { limit: 101 })
    expect([tooMany.status, tooMany.body.details[0].field]).toEqual([400, 'limit'])
    const nul = await post('findMessages', { text: 'tea\u0000pot' })
    expect([nul.status, nul.body.details[0].field]).toEqual([400, 'text'])
    const unknown = await post('findMessages', { where: { key: { remoteJid: pn('15556669999') } } })
    expect([unknown.status, unknown.body.error]).toEqual([404, 'chat_not_found'])
    const mismatched = await post('findMessages', { where: { key: { remoteJid: pn(BULK), remoteJidAlt: priya.lid } } })
    expect([mismatched.status, mismatched.body.error]).toEqual([404, 'chat_not_found'])
  })
})

describe('chat/findChats', () => {
  it('lists history chats and live ones newest first; a live message moves its chat up and counts as unread; reading clears it', async () => {
    const before = await post('findChats', {})
    expect(before.status, JSON.stringify(before.body)).toBe(200)
    const jids = before.body.chats.map((c: any) => c.remoteJid)
    expect(jids.slice(0, 2)).toEqual([pn(PRIYA), pn(BULK)])
    const priyaChat = before.body.chats[0]
    expect(priyaChat).toMatchObject({ remoteJidAlt: priya.lid, isGroup: false, name: 'Priya', unreadCount: 1, archived: false, pinned: false, muted: false })
    expect(priyaChat.lastMessagePreview).toBe('Invoice for the blue Teapot, order 1042')
    expect(priyaChat.lastMessage.messageType).toBe('imageMessage')
    const olga = before.body.chats.find((c: any) => c.remoteJid === pn(OLGA))
    expect(olga).toMatchObject({ archived: true, muted: true, mutedUntil: '9999-12-31T23:59:59.000Z', name: 'Olga (supplier)', lastMessagePreview: 'the pallets ship monday' })
    expect(before.body.chats.find((c: any) => c.remoteJid === pn(BULK))).toMatchObject({ muted: true, mutedUntil: new Date(BULK_MUTED_UNTIL).toISOString() })

    // a send through the API moves BULK's chat up (ahead of Priya's, or level with it within the
    // same second: then by JID) without counting as unread
    const sent = await api('chats-shop/message/sendText', { method: 'POST', body: JSON.stringify({ number: BULK, text: 'thanks for the order' }) })
    expect(sent.status, JSON.stringify(sent.body)).toBe(201)
    const afterSend = (await post('findChats', { limit: 2 })).body.chats
    expect(afterSend.map((c: any) => c.remoteJid).sort()).toEqual([pn(BULK), pn(PRIYA)])
    const bulk = afterSend.find((c: any) => c.remoteJid === pn(BULK))
    expect(bulk).toMatchObject({ lastMessagePreview: 'thanks for the order', lastMessageTimestamp: sent.body.messageTimestamp })
    expect(bulk.lastMessage.key).toEqual(sent.body.key)
    expect(bulk.lastMessageTimestamp).toBeGreaterThanOrEqual(priyaChat.lastMessageTimestamp)
    expect(bulk.unreadCount).toBe(4) // 3 from the phone's history, 1 live while paging

    const photoKey = priyaChat.lastMessage.key
    const read = await api('chats-shop/chat/markMessageAsRead', { method: 'POST', body: JSON.stringify({ readMessages: [{ remoteJid: photoKey.remoteJid, fromMe: false, id: photoKey.id }] }) })
    expect(read.status, JSON.stringify(read.body)).toBe(200)
    const afterRead = (await post('findChats', {})).body.chats.find((c: any) => c.remoteJid === pn(PRIYA))
    expect(afterRead.unreadCount).toBe(0)
  })

  it('filters archived, groups and direct chats, and pages by cursor', async () => {
    const group = await sim.client.createGroup({ creator: PRIYA, subject: 'Teapot fans', participants: [OWN] })
    const posted = await sim.client.groupSend(group.jid, { from: PRIYA, text: 'welcome, teapot fans' })
    await upsertOf(posted.id)
    const groups = await post('findChats', { where: { type: 'group' } })
    expect(groups.body.chats.map((c: any) => [c.remoteJid, c.isGroup, c.unreadCount])).toEqual([[group.jid, true, 1]])
    expect(groups.body.chats[0].name).toBe('Teapot fans')
    const direct = await post('findChats', { where: { type: 'direct' } })
    expect(direct.body.chats.every((c: any) => !c.isGroup)).toBe(true)
    const archived = await post('findChats', { where: { archived: true } })
    expect(archived.body.chats.map((c: any) => c.remoteJid)).toEqual([pn(OLGA)])

    const everything = (await post('findChats', { limit: 100 })).body.chats.map((c: any) => c.remoteJid)
    const paged: string[] = []
    let cursor: string | null = null
    do {
      const page: { body: any } = await post('findChats', { limit: 1, ...(cursor ? { cursor } : {}) })
      paged.push(...page.body.chats.map((c: any) => c.remoteJid))
      cursor = page.body.nextCursor
    } while (cursor)
    expect(paged).toEqual(everything)
    expect(everything.length).toBe(4)

    const bad = await post('findChats', { cursor: 'eyJ0IjoxfQ' })
    expect([bad.status, bad.body.details[0].field]).toEqual([400, 'cursor'])
    const badType = await post('findChats', { where: { type: 'channel' } })
    expect([badType.status, badType.body.details[0].field]).toEqual([400, 'where.type'])
  })

  it('searches chats by name, group subject or digits of the number, with the other filters', async () => {
    const names = async (body: object) => (await post('findChats', body)).body.chats.map((c: any) => c.remoteJid)
    expect(await names({ search: 'priy' })).toEqual([pn(PRIYA)])
    expect(await names({ search: 'TEAPOT' })).toEqual([expect.stringMatching(/@g\.us$/)])
    expect(await names({ search: 'supplier' })).toEqual([pn(OLGA)])
    expect(await names({ search: 'supplier', where: { archived: false } })).toEqual([])
    expect(await names({ search: BULK.slice(-5) })).toEqual([pn(BULK)])
    // Wildcards are taken literally, and 2 digits are too few to search numbers by.
    expect(await names({ search: '%' })).toEqual([])
    expect(await names({ search: '55' })).toEqual([])
    const empty = await post('findChats', { search: '  ' })
    expect([empty.status, empty.body.details[0].field]).toEqual([400, 'search'])
    const long = await post('findChats', { search: 'x'.repeat(101) })
    expect([long.status, long.body.details[0].field]).toEqual([400, 'search'])
  })
})

describe('chat/findContacts', () => {
  it('lists contacts from the history and from live messages, searchable by name and number; push names are written only when they change', async () => {
    const all = await post('findContacts', {})
    expect(all.status, JSON.stringify(all.body)).toBe(200)
    const byJid = new Map(all.body.contacts.map((c: any) => [c.remoteJid, c]))
    expect(byJid.get(pn(PRIYA))).toMatchObject({ lid: priya.lid, number: PRIYA, pushName: 'Priya', isWhatsApp: true })
    expect(byJid.get(pn(OLGA))).toMatchObject({ number: OLGA, savedName: 'Olga (supplier)' })

    expect((await post('findContacts', { search: 'supplier' })).body.contacts.map((c: any) => c.remoteJid)).toEqual([pn(OLGA)])
    expect((await post('findContacts', { search: 'pRiY' })).body.contacts.map((c: any) => c.remoteJid)).toEqual([pn(PRIYA)])
    expect((await post('findContacts', { search: '+1 555 666 0002' })).body.contacts.map((c: any) => c.remoteJid)).toEqual([pn(PRIYA)])
    expect((await post('findContacts', { where: { remoteJid: priya.lid } })).body.contacts.map((c: any) => c.remoteJid)).toEqual([pn(PRIYA)])
    expect((await post('findContacts', { search: 'zz%' })).body.contacts).toEqual([])

    const [stamp] = await sql`select updated_at from contacts where instance_id = ${instance.id} and jid = ${pn(PRIYA)}`
    const again = await sim.client.send(PRIYA, { to: OWN, text: 'same name as before' })
    await upsertOf(again.id)
    const [after] = await sql`select updated_at from contacts where instance_id = ${instance.id} and jid = ${pn(PRIYA)}`
    expect(after.updated_at).toEqual(stamp.updated_at)

    const first = await post('findContacts', { limit: 1 })
    expect(first.body.contacts).toHaveLength(1)
    const second = await post('findContacts', { limit: 100, cursor: first.body.nextCursor })
    expect([first.body.contacts[0].remoteJid, ...second.body.contacts.map((c: any) => c.remoteJid)]).toEqual(all.body.contacts.map((c: any) => c.remoteJid))
    const bad = await post('findContacts', { cursor: first.body.nextCursor.slice(0, -2) })
    expect([bad.status, bad.body.details[0].field]).toEqual([400, 'cursor'])
  })
})

describe('chat/updateBlockStatus and chat/fetchBlocklist', () => {
  it('blocks a contact by number and unblocks it by LID, as WhatsApp keeps it (by LID); refuses groups and a disconnected instance', async () => {
    const blocked = await post('updateBlockStatus', { number: `+${PRIYA}`, status: 'block' })
    expect(blocked.status, JSON.stringify(blocked.body)).toBe(200)
    expect(blocked.body).toEqual({ jid: pn(PRIYA), status: 'blocked' })
    expect(await sim.client.blocklist(OWN)).toEqual([priya.lid])
    const list = await api('chats-shop/chat/fetchBlocklist')
    expect(list.status, JSON.stringify(list.body)).toBe(200)
    expect(list.body).toEqual({ blocked: [{ jid: pn(PRIYA), lid: priya.lid }] })

    const unblocked = await post('updateBlockStatus', { number: priya.lid, status: 'unblock' })
    expect(unblocked.body).toEqual({ jid: priya.lid, status: 'unblocked' })
    expect(await sim.client.blocklist(OWN)).toEqual([])
    expect((await api('chats-shop/chat/fetchBlocklist')).body).toEqual({ blocked: [] })

    const group = await post('updateBlockStatus', { number: '120363012345678901@g.us', status: 'block' })
    expect([group.status, group.body.details[0].field]).toEqual([400, 'number'])
    const badStatus = await post('updateBlockStatus', { number: PRIYA, status: 'mute' })
    expect([badStatus.status, badStatus.body.details[0].field]).toEqual([400, 'status'])
    const offline = await post('updateBlockStatus', { number: PRIYA, status: 'block' }, otherApi, 'other-shop')
    expect([offline.status, offline.body.error]).toEqual([409, 'instance_not_connected'])
    expect((await otherApi('other-shop/chat/fetchBlocklist')).body.error).toBe('instance_not_connected')
  })
})

describe('chat/fetchProfilePictureUrl and chat/fetchProfile', () => {
  it('reads a contact’s picture, about text and business profile as WhatsApp answers them; none is null', async () => {
    const plain = await post('fetchProfile', { number: BULK })
    expect(plain.status, JSON.stringify(plain.body)).toBe(200)
    expect(plain.body).toMatchObject({ jid: pn(BULK), pictureUrl: null, about: 'Hey there! I am using WhatsApp.', business: null })
    expect((await post('fetchProfilePictureUrl', { number: BULK })).body).toEqual({ jid: pn(BULK), profilePictureUrl: null })

    await sim.client.setProfile(PRIYA, {
      about: 'Teapots, by appointment',
      picture: true,
      business: { description: 'Hand-made teapots', email: 'shop@example.com', website: 'https://teapots.example', category: 'Shopping & retail' },
    })
    const business = await post('fetchProfile', { number: priya.lid })
    expect(business.status, JSON.stringify(business.body)).toBe(200)
    expect(business.body).toMatchObject({
      jid: priya.lid,
      pictureUrl: expect.stringMatching(new RegExp(`/pp/${PRIYA}/\\d+\\.jpg$`)),
      about: 'Teapots, by appointment',
      business: { description: 'Hand-made teapots', email: 'shop@example.com', website: ['https://teapots.example'], address: null, category: 'Shopping & retail' },
    })
    const picture = await post('fetchProfilePictureUrl', { number: PRIYA })
    expect(picture.body.profilePictureUrl).toBe(business.body.pictureUrl)

    const group = await post('fetchProfile', { number: '120363012345678901@g.us' })
    expect([group.status, group.body.details[0].field]).toEqual([400, 'number'])
    const offline = await post('fetchProfilePictureUrl', { number: PRIYA }, otherApi, 'other-shop')
    expect([offline.status, offline.body.error]).toEqual([409, 'instance_not_connected'])
  })
})

describe('another account', () => {
  it('never sees this account’s instance, chats, messages or contacts', async () => {
    const otherInstance = (await sql`select id, user_id, name from instances where name = 'other-shop'`)[0]
    await upsertChats(sql as never, { id: otherInstance.id, userId: otherInstance.user_id, name: 'other-shop' } as never, [
      { jid: pn('15557770001'), jidAlt: null, name: 'Their customer', unreadCount: 0, archived: false, pinned: false, mutedUntil: null, markedUnread: false, lastMessageTimestamp: now },
    ])
    for (const path of ['findMessages', 'findChats', 'findContacts']) {
      const foreign = await post(path, {}, otherApi, 'chats-shop')
      expect([foreign.status, foreign.body.error], path).toEqual([404, 'instance_not_found'])
    }
    const theirs = await post('findChats', {}, otherApi, 'other-shop')
    expect(theirs.body.chats.map((c: any) => c.remoteJid)).toEqual([pn('15557770001')])
    expect((await post('findMessages', {}, otherApi, 'other-shop')).body.messages).toEqual([])
    expect((await post('findContacts', {}, otherApi, 'other-shop')).body.contacts).toEqual([])
    const ours = await post('findMessages', { where: { key: { remoteJid: pn(BULK) } } }, otherApi, 'other-shop')
    expect([ours.status, ours.body.error]).toEqual([404, 'chat_not_found'])
    expect((await post('findChats', { limit: 100 })).body.chats.map((c: any) => c.remoteJid)).not.toContain(pn('15557770001'))
  })
})
