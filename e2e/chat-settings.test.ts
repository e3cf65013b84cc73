// Chat actions end to end: chat/archiveChat, pinChat, muteChat, markChatUnread and deleteChat go
// through the real Baileys as app-state patches to the simulated WhatsApp, which verifies them and
// keeps the account's chat state (its control API shows it); findChats and CHATS_UPDATE /
// CHATS_DELETE webhooks follow. A change made on the phone reaches the instance by server_sync the
// same way. A later history-sync chunk does not undo live state.
import postgres from 'postgres'
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
// The history-sync store call, in this process, on the test's database.
process.env.DATABASE_URL = database.url
const { recordHistorySync } = await import('@/lib/store/history-sync')

const account = await createVerifiedAccount(database.url, { instances: ['settings-shop'] })
const other = await createVerifiedAccount(database.url, { instances: ['other-shop'] })
const api = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '10000'))
const otherApi = dataPlane(stack, mintKey(stack, other.email, '--rate-limit', '10000'))
runCli(stack.env, 'webhook:create', '--email', account.email, '--url', receiver.url, '--events', 'CHATS_UPDATE,CHATS_DELETE')

const OWN = '15557770000'
const ANNA = '15557770001'
const BEN = '15557770002'
const CLEO = '15557770003' // changed on the phone
const DORA = '15557770004' // deleted
const pn = (phone: string) => `${phone}@s.whatsapp.net`
const now = Math.floor(Date.now() / 1000)

await sim.client.seedHistory(OWN, {
  full: 'never',
  chats: [ANNA, BEN, CLEO, DORA].map((phone, i) => ({
    with: phone,
    pushName: `Contact ${i}`,
    unreadCount: 2,
    messages: [
      { id: `H${i}A`, text: 'hello', timestamp: now - 600 + i },
      { id: `H${i}B`, text: 'are you there?', timestamp: now - 300 + i },
    ],
  })),
})
await pairInstance(api, sim, 'settings-shop', OWN)
const instance = (await sql`select id, user_id, name from instances where name = 'settings-shop'`)[0]
await eventually(async () => ((await sql`select count(*)::int as n from chats where instance_id = ${instance.id}`)[0].n >= 4 ? true : undefined), 60_000, 250)

const act = (path: string, body: unknown, as = api, name = 'settings-shop', method = 'POST') =>
  as(`${name}/chat/${path}`, { method, body: JSON.stringify(body) })
const chatOf = async (jid: string) => {
  const page = await act('findChats', { limit: 100 })
  return (page.body.chats as any[]).find((chat) => chat.remoteJid === jid)
}
const phoneState = async (jid: string) => (await sim.client.appState(OWN)).chats[jid]
const webhooks = (event: string, jid: string) =>
  receiver.received.map((request) => JSON.parse(request.rawBody)).filter((body) => body.event === event && body.data.chats.some((chat: any) => chat.jid === jid))
const webhookWith = (event: string, jid: string, match: (chat: any) => boolean) =>
  eventually(async () => webhooks(event, jid).find((body) => body.data.chats.some((chat: any) => chat.jid === jid && match(chat))), 15_000)

describe('chat actions through the simulated WhatsApp', () => {
  it('archives and unarchives: the phone has it, findChats shows it, CHATS_UPDATE arrives', async () => {
    const archived = await act('archiveChat', { chat: pn(ANNA), archive: true })
    expect(archived.status, JSON.stringify(archived.body)).toBe(200)
    expect(archived.body).toMatchObject({ remoteJid: pn(ANNA), archived: true, pinned: false, muted: false, markedUnread: false })
    expect(await phoneState(pn(ANNA))).toMatchObject({ archived: true, changedBy: expect.stringMatching(/^device:/) })
    expect(await chatOf(pn(ANNA))).toMatchObject({ archived: true })
    expect((await act('findChats', { where: { archived: true } })).body.chats.map((chat: any) => chat.remoteJid)).toEqual([pn(ANNA)])
    await webhookWith('CHATS_UPDATE', pn(ANNA), (chat) => chat.archived === true)
    // Evolution API v2's way of naming the chat: a message of it.
    const back = await act('archiveChat', { lastMessage: { key: { remoteJid: pn(ANNA), id: 'H0B', fromMe: false } }, archive: false })
    expect(back.body).toMatchObject({ remoteJid: pn(ANNA), archived: false })
    expect(await phoneState(pn(ANNA))).toMatchObject({ archived: false })
    await webhookWith('CHATS_UPDATE', pn(ANNA), (chat) => chat.archived === false)
    // Applied once by the API's command and again by Baileys' echo of the same patch: announced once each way.
    expect(webhooks('CHATS_UPDATE', pn(ANNA))).toHaveLength(2)
  })

  it('pins, mutes for a while and until unmuted, and marks unread', async () => {
    expect((await act('pinChat', { chat: BEN, pin: true })).body).toMatchObject({ remoteJid: pn(BEN), pinned: true })
    const before = Date.now()
    const muted = await act('muteChat', { chat: pn(BEN), mute: true, duration: 28800 })
    expect(muted.body).toMatchObject({ muted: true })
    const until = Date.parse(muted.body.mutedUntil)
    expect(until).toBeGreaterThanOrEqual(before + 28_800_000 - 1000)
    expect(until).toBeLessThanOrEqual(Date.now() + 28_800_000 + 1000)
    expect((await phoneState(pn(BEN))).mutedUntil).toBe(until)
    expect((await act('muteChat', { chat: pn(BEN), mute: true })).body).toMatchObject({ muted: true, mutedUntil: '9999-12-31T23:59:59.000Z' })
    expect((await phoneState(pn(BEN))).mutedUntil).toBe(-1)
    const unread = await act('markChatUnread', { chat: pn(BEN) })
    expect(unread.body).toMatchObject({ markedUnread: true, unreadCount: 2 })
    expect(await phoneState(pn(BEN))).toMatchObject({ pinned: true, markedUnread: true })
    expect(await chatOf(pn(BEN))).toMatchObject({ pinned: true, muted: true, markedUnread: true, unreadCount: 2 })
    await webhookWith('CHATS_UPDATE', pn(BEN), (chat) => chat.markedUnread === true && chat.pinned === true)
    expect((await act('muteChat', { chat: pn(BEN), mute: false })).body).toMatchObject({ muted: false, mutedUntil: null })
    expect((await phoneState(pn(BEN))).mutedUntil).toBeNull()
    // Reading the chat clears the mark here and on the phone (a markChatAsRead patch, as WhatsApp Web sends).
    expect((await act('markMessageAsRead', { readMessages: [{ remoteJid: pn(BEN), fromMe: false, id: 'H1B' }] })).status).toBe(200)
    expect(await phoneState(pn(BEN))).toMatchObject({ markedUnread: false, changedBy: expect.stringMatching(/^device:/) })
    await eventually(async () => ((await chatOf(pn(BEN))).markedUnread === false ? true : undefined))
    expect(await chatOf(pn(BEN))).toMatchObject({ unreadCount: 0 })
    await webhookWith('CHATS_UPDATE', pn(BEN), (chat) => chat.markedUnread === false && chat.unreadCount === 0)
  })

  it('a change made on the phone arrives as CHATS_UPDATE and shows in findChats', async () => {
    await sim.client.changeChatOnPhone(OWN, pn(CLEO), { archived: true })
    await webhookWith('CHATS_UPDATE', pn(CLEO), (chat) => chat.archived === true)
    expect(await chatOf(pn(CLEO))).toMatchObject({ archived: true })
    await sim.client.changeChatOnPhone(OWN, pn(CLEO), { pinned: true })
    await sim.client.changeChatOnPhone(OWN, pn(CLEO), { markedUnread: true })
    await webhookWith('CHATS_UPDATE', pn(CLEO), (chat) => chat.pinned === true && chat.markedUnread === true)
    const mutedUntil = Date.now() + 3_600_000
    await sim.client.changeChatOnPhone(OWN, pn(CLEO), { mutedUntil })
    await webhookWith('CHATS_UPDATE', pn(CLEO), (chat) => chat.mutedUntil === new Date(mutedUntil).toISOString())
    expect(await chatOf(pn(CLEO))).toMatchObject({ archived: true, pinned: true, markedUnread: true, muted: true, mutedUntil: new Date(mutedUntil).toISOString() })
    expect((await sim.client.appState(OWN)).rejected).toEqual([])
  })

  it('deletes a chat: gone from the phone and from findChats, CHATS_DELETE arrives, its messages stay; a deletion on the phone too', async () => {
    const deleted = await act('deleteChat', { chat: pn(DORA) }, api, 'settings-shop', 'DELETE')
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200)
    expect(deleted.body).toMatchObject({ remoteJid: pn(DORA), deleted: true })
    expect(await phoneState(pn(DORA))).toMatchObject({ deleted: true })
    expect(await chatOf(pn(DORA))).toBeUndefined()
    await webhookWith('CHATS_DELETE', pn(DORA), () => true)
    expect((await act('findMessages', { where: { key: { remoteJid: pn(DORA) } } })).body.messages.map((m: any) => m.key.id)).toEqual(['H3B', 'H3A'])
    expect((await act('archiveChat', { chat: pn(DORA), archive: true })).body.error).toBe('chat_not_found')

    await sim.client.changeChatOnPhone(OWN, pn(CLEO), { deleted: true })
    await webhookWith('CHATS_DELETE', pn(CLEO), () => true)
    expect(await chatOf(pn(CLEO))).toBeUndefined()
  })

  it('refuses an unknown chat (404 chat_not_found), a bad body (400 naming the field), and another account’s instance (404)', async () => {
    const unknown = await act('pinChat', { chat: pn('15557779999'), pin: true })
    expect([unknown.status, unknown.body.error]).toEqual([404, 'chat_not_found'])
    const cases: [string, unknown, string][] = [
      ['archiveChat', { chat: pn(ANNA) }, 'archive'],
      ['archiveChat', { archive: true }, 'chat'],
      ['pinChat', { chat: pn(ANNA), pin: 'yes' }, 'pin'],
      ['muteChat', { chat: pn(ANNA), mute: true, duration: 5 }, 'duration'],
      ['muteChat', { chat: pn(ANNA), mute: false, duration: 600 }, 'duration'],
      ['markChatUnread', { chat: 'not a jid' }, 'chat'],
    ]
    for (const [path, body, field] of cases) {
      const refused = await act(path, body)
      expect([refused.status, refused.body.error], `${path} ${JSON.stringify(body)}`).toEqual([400, 'invalid_request'])
      expect(JSON.stringify(refused.body.details), `${path} ${JSON.stringify(body)}`).toContain(field)
    }
    const badDelete = await act('deleteChat', {}, api, 'settings-shop', 'DELETE')
    expect([badDelete.status, badDelete.body.error]).toEqual([400, 'invalid_request'])
    for (const path of ['archiveChat', 'pinChat', 'muteChat', 'markChatUnread']) {
      const foreign = await act(path, { chat: pn(ANNA), archive: true, pin: true, mute: true }, otherApi, 'settings-shop')
      expect([foreign.status, foreign.body.error], path).toEqual([404, 'instance_not_found'])
    }
    const foreignDelete = await act('deleteChat', { chat: pn(ANNA) }, otherApi, 'settings-shop', 'DELETE')
    expect([foreignDelete.status, foreignDelete.body.error]).toEqual([404, 'instance_not_found'])
    // Nothing reached the phone for them.
    expect(await phoneState(pn(ANNA))).toMatchObject({ archived: false, pinned: false })
  })
})

describe('history sync and live state', () => {
  it('a later history chunk does not undo a live unread count or a chat action', async () => {
    const identity = { id: instance.id, userId: instance.user_id, name: instance.name }
    // BEN was read (0 unread) and pinned live; the chunk is the phone's picture from before.
    const chunk = {
      syncType: 'RECENT',
      progress: 100,
      messages: [],
      chats: [{ jid: pn(BEN), jidAlt: null, name: null, unreadCount: 2, archived: true, pinned: false, mutedUntil: null, markedUnread: false, lastMessageTimestamp: now - 299 }],
      contacts: [],
    }
    expect((await recordHistorySync(identity, chunk)).chats).toBe(0)
    expect(await chatOf(pn(BEN))).toMatchObject({ unreadCount: 0, archived: false, pinned: true })
    // A chat nothing live touched yet still takes the chunk's description.
    const fresh = { ...chunk, chats: [{ ...chunk.chats[0], jid: pn('15557770009'), unreadCount: 4 }] }
    expect((await recordHistorySync(identity, fresh)).chats).toBe(1)
    expect(await chatOf(pn('15557770009'))).toMatchObject({ unreadCount: 4, archived: true })
  })
})
