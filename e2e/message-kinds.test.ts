// Every kind of message end to end: the API → the worker's real Baileys → the simulated WhatsApp,
// checked on the contact's phone (the simulator's inbox): edits, deletions for everyone, forwards.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import postgres from 'postgres'
import sharp from 'sharp'
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
// Private URLs refused, as in production: a link preview must not reach the local page below.
const stack = await startStack({ databaseUrl: database.url, env: { ...sim.env, WEBHOOK_ALLOW_PRIVATE_URLS: 'false' } })
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

const account = await createVerifiedAccount(database.url, { instances: ['kinds'] })
const api = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '10000'))

const OWN = '15554440000'
const ALICE = '15554440001'
const BOB = '15554440002'
const CARA = '15554440003' // creates the groups
const pn = (phone: string) => `${phone}@s.whatsapp.net`

await sim.client.createAccount(ALICE, 'Alice')
await sim.client.createAccount(BOB, 'Bob')
await sim.client.createAccount(CARA, 'Cara')
await pairInstance(api, sim, 'kinds', OWN)

const post = (path: string, body: unknown, method = 'POST') => api(`kinds/${path}`, { method, body: JSON.stringify(body) })

async function eventOf(type: string, match: (data: any) => boolean): Promise<any> {
  return eventually(async () => (await sql`select data from instance_events where event = ${type} order by seq`).find((row) => match(row.data))?.data, 15_000)
}

async function eventsOf(type: string, match: (data: any) => boolean): Promise<any[]> {
  return (await sql`select data from instance_events where event = ${type} order by seq`).map((row) => row.data).filter(match)
}

async function inboxOf(phone: string, match: (message: any) => boolean) {
  return eventually(async () => (await sim.client.messages(phone)).find(match), 15_000)
}

async function sendText(to: string, text: string): Promise<string> {
  const sent = await post('message/sendText', { number: to, text })
  expect(sent.status, JSON.stringify(sent.body)).toBe(201)
  await inboxOf(to, (message) => message.id === sent.body.key.id)
  return sent.body.key.id
}

describe('chat/updateMessage', () => {
  it('edits our own text: the contact gets a MESSAGE_EDIT protocol message and GET messages/{id} shows the new text', async () => {
    const id = await sendText(ALICE, 'see you at 5')
    const edited = await post('chat/updateMessage', { number: ALICE, key: { remoteJid: pn(ALICE), fromMe: true, id }, text: 'see you at 6' })
    expect(edited.status, JSON.stringify(edited.body)).toBe(200)
    expect(edited.body.message.extendedTextMessage?.text ?? edited.body.message.conversation).toBe('see you at 6')
    expect(edited.body.editedAt).toEqual(expect.any(String))
    expect(edited.body.editHistory).toHaveLength(1)

    const received = await inboxOf(ALICE, (message) => message.message.protocolMessage?.key?.id === id)
    expect(received.edit).toBe('1')
    expect(received.message.protocolMessage).toMatchObject({ type: 'MESSAGE_EDIT', key: { remoteJid: pn(ALICE), fromMe: true, id } })
    const newText = (received.message.protocolMessage as any).editedMessage
    expect(newText.extendedTextMessage?.text ?? newText.conversation).toBe('see you at 6')
    await eventOf('MESSAGES_UPDATE', (data) => data.key.id === id && !!data.editedAt)
  })

  it('someone else’s message → 403; after 15 minutes → 409 edit_window_closed; an unknown id → 404', async () => {
    const { id: theirs } = await sim.client.send(ALICE, { to: OWN, text: 'my words' })
    await eventOf('MESSAGES_UPSERT', (data) => data.key.id === theirs)
    const forbidden = await post('chat/updateMessage', { key: { remoteJid: pn(ALICE), fromMe: false, id: theirs }, text: 'yours now' })
    expect(forbidden.status).toBe(403)
    expect(forbidden.body.error).toBe('forbidden')

    const id = await sendText(ALICE, 'an old message')
    // Sent 16 minutes ago as far as the store knows.
    await sql`update messages set message_timestamp = message_timestamp - 16 * 60 where wa_id = ${id}`
    const late = await post('chat/updateMessage', { key: { remoteJid: pn(ALICE), fromMe: true, id }, text: 'too late' })
    expect(late.status).toBe(409)
    expect(late.body.error).toBe('edit_window_closed')
    expect((await api(`kinds/messages/${id}`)).body.editedAt).toBeNull()

    const unknown = await post('chat/updateMessage', { key: { remoteJid: pn(ALICE), fromMe: true, id: '3EB0000000000000DEAD' }, text: 'x' })
    expect(unknown.status).toBe(404)
  })
})

describe('chat/deleteMessageForEveryone', () => {
  it('revokes our own message: the contact gets a REVOKE with edit="7", the message shows deletedAt', async () => {
    const id = await sendText(BOB, 'sent to the wrong person')
    const deleted = await post('chat/deleteMessageForEveryone', { remoteJid: pn(BOB), fromMe: true, id }, 'DELETE')
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200)
    expect(deleted.body.deletedAt).toEqual(expect.any(String))
    const received = await inboxOf(BOB, (message) => message.message.protocolMessage?.key?.id === id)
    expect(received.edit).toBe('7')
    expect(received.message.protocolMessage).toMatchObject({ type: 'REVOKE', key: { remoteJid: pn(BOB), fromMe: true, id } })
    await eventOf('MESSAGES_DELETE', (data) => data.key.id === id)
  })

  it('a contact’s message in a 1:1 chat → 403 forbidden', async () => {
    const { id } = await sim.client.send(BOB, { to: OWN, text: 'not yours to delete' })
    await eventOf('MESSAGES_UPSERT', (data) => data.key.id === id)
    const refused = await post('chat/deleteMessageForEveryone', { remoteJid: pn(BOB), fromMe: false, id }, 'DELETE')
    expect(refused.status).toBe(403)
    expect(refused.body.error).toBe('forbidden')
  })

  it('in a group we admin, a member’s message is deleted as an admin (edit="8"); in one we do not, 403 not_group_admin', async () => {
    const admined = await sim.client.createGroup({ creator: CARA, subject: 'We admin', participants: [OWN, ALICE] })
    await sim.client.groupParticipants(admined.jid, { by: CARA, action: 'promote', participants: [OWN] })
    const post1 = await sim.client.groupSend(admined.jid, { from: ALICE, text: 'spam' })
    await eventOf('MESSAGES_UPSERT', (data) => data.key.id === post1.id)
    const deleted = await post('chat/deleteMessageForEveryone', { remoteJid: admined.jid, fromMe: false, id: post1.id, participant: pn(ALICE) }, 'DELETE')
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200)
    const received = await inboxOf(CARA, (message) => message.message.protocolMessage?.key?.id === post1.id)
    expect(received.chat).toBe(admined.jid)
    expect(received.edit).toBe('8')
    expect(received.message.protocolMessage).toMatchObject({ type: 'REVOKE', key: { fromMe: false, id: post1.id, participant: pn(ALICE) } })

    const plain = await sim.client.createGroup({ creator: CARA, subject: 'We do not admin', participants: [OWN, ALICE] })
    const post2 = await sim.client.groupSend(plain.jid, { from: ALICE, text: 'mine' })
    await eventOf('MESSAGES_UPSERT', (data) => data.key.id === post2.id)
    const refused = await post('chat/deleteMessageForEveryone', { remoteJid: plain.jid, fromMe: false, id: post2.id, participant: pn(ALICE) }, 'DELETE')
    expect(refused.status).toBe(403)
    expect(refused.body.error).toBe('not_group_admin')
    expect((await api(`kinds/messages/${post2.id}`)).body.deletedAt).toBeNull()
  })
})

describe('message/forward', () => {
  it('forwards a received message to another chat, marked forwarded', async () => {
    const { id } = await sim.client.send(ALICE, { to: OWN, text: 'pass this on' })
    await eventOf('MESSAGES_UPSERT', (data) => data.key.id === id)
    const forwarded = await post('message/forward', { number: BOB, key: { id } })
    expect(forwarded.status, JSON.stringify(forwarded.body)).toBe(201)
    expect(forwarded.body.key.id).not.toBe(id)
    const received = await inboxOf(BOB, (message) => message.id === forwarded.body.key.id)
    expect(received.message.extendedTextMessage).toMatchObject({ text: 'pass this on', contextInfo: { isForwarded: true, forwardingScore: 1 } })
  })

  it('an unknown message → 404', async () => {
    const missing = await post('message/forward', { number: BOB, key: { id: '3EB0000000000000BEEF' } })
    expect(missing.status).toBe(404)
  })
})

describe('replies, mentions, video notes and GIFs', () => {
  // The smallest file the type sniffer takes for an MP4: an `ftyp` box and a few bytes.
  const MP4 = Buffer.concat([Buffer.from('00000018667479706d703432000000006d703432', 'hex'), Buffer.from('69736f6d', 'hex'), Buffer.alloc(64, 1)])

  it('a location replying to a member’s image in a group, mentioning one member, carries both in contextInfo', async () => {
    const group = await sim.client.createGroup({ creator: CARA, subject: 'Replies', participants: [OWN, ALICE, BOB] })
    const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
    const image = await sim.client.groupSend(group.jid, { from: ALICE, media: { type: 'image', base64: PNG.toString('base64'), mimetype: 'image/png' } })
    await eventOf('MESSAGES_UPSERT', (data) => data.key.id === image.id)
    const sent = await post('message/sendLocation', {
      number: group.jid,
      latitude: 12.97,
      longitude: 77.59,
      name: 'Here',
      address: 'MG Road',
      quoted: { key: { id: image.id } },
      mentions: [BOB],
    })
    expect(sent.status, JSON.stringify(sent.body)).toBe(201)
    const received = await inboxOf(BOB, (message) => message.id === sent.body.key.id)
    const context = (received.message.locationMessage as any).contextInfo
    expect(context).toMatchObject({ stanzaId: image.id, participant: pn(ALICE), mentionedJid: [pn(BOB)] })
    expect(context.quotedMessage.imageMessage).toMatchObject({ mimetype: 'image/png' })
  })

  it('mentionsEveryOne mentions every member of the group', async () => {
    const group = await sim.client.createGroup({ creator: CARA, subject: 'Everyone', participants: [OWN, ALICE, BOB] })
    const sent = await post('message/sendText', { number: group.jid, text: 'Meeting at 5, everyone', mentionsEveryOne: true })
    expect(sent.status, JSON.stringify(sent.body)).toBe(201)
    const received = await inboxOf(ALICE, (message) => message.id === sent.body.key.id)
    expect([...(received.message.extendedTextMessage as any).contextInfo.mentionedJid].sort()).toEqual([pn(OWN), pn(ALICE), pn(BOB), pn(CARA)].sort())
  })

  it('a video note goes as ptvMessage and a GIF as a videoMessage with gifPlayback; ptv on an image → 400', async () => {
    const ptv = await post('message/sendMedia', { number: ALICE, mediatype: 'video', media: MP4.toString('base64'), mimetype: 'video/mp4', ptv: true })
    expect(ptv.status, JSON.stringify(ptv.body)).toBe(201)
    const note = await inboxOf(ALICE, (message) => message.id === ptv.body.key.id)
    // Baileys (getMediaType in Socket/messages-send.js) has no wire label for ptvMessage: the content says what it is.
    expect(note.message.ptvMessage).toMatchObject({ mimetype: 'video/mp4' })
    expect(note.media).toMatchObject({ ok: true, length: MP4.length })

    const gif = await post('message/sendMedia', { number: ALICE, mediatype: 'video', media: MP4.toString('base64'), mimetype: 'video/mp4', gif: true })
    expect(gif.status, JSON.stringify(gif.body)).toBe(201)
    const looping = await inboxOf(ALICE, (message) => message.id === gif.body.key.id)
    expect(looping.mediatype).toBe('gif')
    expect(looping.message.videoMessage).toMatchObject({ gifPlayback: true })

    const wrong = await post('message/sendMedia', { number: ALICE, mediatype: 'image', media: MP4.toString('base64'), ptv: true })
    expect(wrong.status).toBe(400)
    expect(wrong.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'ptv' })]))
  })
})

describe('message/sendSticker', () => {
  it('a PNG arrives as a 512×512 WebP stickerMessage; a WebP as it is', async () => {
    const png = await sharp({ create: { width: 40, height: 20, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 1 } } }).png().toBuffer()
    const sent = await post('message/sendSticker', { number: ALICE, sticker: png.toString('base64') })
    expect(sent.status, JSON.stringify(sent.body)).toBe(201)
    const received = await inboxOf(ALICE, (message) => message.id === sent.body.key.id)
    expect(received.mediatype).toBe('sticker')
    expect(received.message.stickerMessage).toMatchObject({ mimetype: 'image/webp' })
    expect(received.media?.ok).toBe(true)
    const picture = await sharp(Buffer.from(received.media!.base64, 'base64')).metadata()
    expect(picture).toMatchObject({ format: 'webp', width: 512, height: 512 })

    const webp = await sharp(png).webp().toBuffer()
    const asIs = await post('message/sendSticker', { number: ALICE, sticker: webp.toString('base64') })
    expect(asIs.status, JSON.stringify(asIs.body)).toBe(201)
    const same = await inboxOf(ALICE, (message) => message.id === asIs.body.key.id)
    expect(Buffer.from(same.media!.base64, 'base64').equals(webp)).toBe(true)
  })

  it('a 20 MB picture → 413; a GIF → 415 unsupported_media', async () => {
    const huge = await post('message/sendSticker', { number: ALICE, sticker: Buffer.alloc(20 * 1024 * 1024, 7).toString('base64') })
    expect(huge.status).toBe(413)
    expect(huge.body.error).toBe('payload_too_large')
    const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')
    const refused = await post('message/sendSticker', { number: ALICE, sticker: gif.toString('base64') })
    expect(refused.status).toBe(415)
    expect(refused.body.error).toBe('unsupported_media')
  })
})

describe('message/sendPoll', () => {
  it('1 or 13 options → 400 naming values; selectableCount above the options → 400 naming it', async () => {
    const one = await post('message/sendPoll', { number: ALICE, name: 'Only one?', values: ['Yes'] })
    expect(one.status).toBe(400)
    expect(one.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'values' })]))
    const thirteen = await post('message/sendPoll', { number: ALICE, name: 'Too many?', values: Array.from({ length: 13 }, (_, i) => `option ${i + 1}`) })
    expect(thirteen.status).toBe(400)
    expect(thirteen.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'values' })]))
    const count = await post('message/sendPoll', { number: ALICE, name: 'Pick', values: ['a', 'b'], selectableCount: 3 })
    expect(count.status).toBe(400)
    expect(count.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'selectableCount' })]))
  })

  it('a 1:1 single-choice poll goes as pollCreationMessageV3 and the contact’s vote is tallied', async () => {
    const sent = await post('message/sendPoll', { number: ALICE, name: 'Tea or coffee?', values: ['Tea', 'Coffee'], selectableCount: 1 })
    expect(sent.status, JSON.stringify(sent.body)).toBe(201)
    const received = await inboxOf(ALICE, (message) => message.id === sent.body.key.id)
    expect(received.message.pollCreationMessageV3).toMatchObject({ name: 'Tea or coffee?', selectableOptionsCount: 1 })
    await sim.client.send(ALICE, { to: OWN, vote: { messageId: sent.body.key.id, options: ['Coffee'] } })
    await eventOf('MESSAGES_UPDATE', (data) => data.key.id === sent.body.key.id && data.pollVote?.voter === pn(ALICE))
    expect((await api(`kinds/messages/${sent.body.key.id}`)).body.poll.options).toEqual([
      { name: 'Tea', votes: 0, voters: [] },
      { name: 'Coffee', votes: 1, voters: [pn(ALICE)] },
    ])
  })

  it('the contact gets the poll with its message secret; votes from two contacts in a group are decrypted, announced and tallied, and a vote after a worker restart still counts', async () => {
    const group = await sim.client.createGroup({ creator: CARA, subject: 'Lunch', participants: [OWN, ALICE, BOB] })
    const sent = await post('message/sendPoll', { number: group.jid, name: 'Lunch on Friday?', values: ['Pizza', 'Sushi', 'Salad'], selectableCount: 0 })
    expect(sent.status, JSON.stringify(sent.body)).toBe(201)
    const id = sent.body.key.id
    for (const phone of [ALICE, BOB]) {
      const received = await inboxOf(phone, (message) => message.id === id)
      expect(received.type).toBe('poll')
      expect(received.message.pollCreationMessage).toMatchObject({ name: 'Lunch on Friday?', options: [{ optionName: 'Pizza' }, { optionName: 'Sushi' }, { optionName: 'Salad' }] })
      expect(Buffer.from((received.message.messageContextInfo as any).messageSecret, 'base64')).toHaveLength(32)
    }

    await sim.client.groupSend(group.jid, { from: ALICE, vote: { messageId: id, options: ['Pizza'] } })
    const aliceVote = await eventOf('MESSAGES_UPDATE', (data) => data.key.id === id && data.pollVote?.voter === pn(ALICE))
    expect(aliceVote.pollVote.selectedOptions).toEqual(['Pizza'])
    await sim.client.groupSend(group.jid, { from: BOB, vote: { messageId: id, options: ['Pizza', 'Salad'] } })
    const bobVote = await eventOf('MESSAGES_UPDATE', (data) => data.key.id === id && data.pollVote?.voter === pn(BOB))
    expect(bobVote.poll.options).toEqual([
      { name: 'Pizza', votes: 2, voters: [pn(ALICE), pn(BOB)] },
      { name: 'Sushi', votes: 0, voters: [] },
      { name: 'Salad', votes: 1, voters: [pn(BOB)] },
    ])
    // POLL_VOTE: one event per vote, who voted for what, with the tally after it (as MESSAGES_UPDATE).
    const pollVotes = await eventsOf('POLL_VOTE', (data) => data.key.id === id)
    expect(pollVotes.map((data) => [data.pollVote.voter, data.pollVote.selectedOptions])).toEqual([
      [pn(ALICE), ['Pizza']],
      [pn(BOB), ['Pizza', 'Salad']],
    ])
    expect(pollVotes[0].poll.options.map((option: { votes: number }) => option.votes)).toEqual([1, 0, 0])
    expect(pollVotes[1]).toEqual(bobVote)
    // A new worker (the first one killed) decrypts with the poll's secret from Postgres; Alice changes
    // her mind and her latest vote replaces the first.
    const [worker] = stack.workers
    worker.kill('SIGKILL')
    await new Promise((resolve) => worker.once('exit', resolve))
    stack.startWorker()
    await eventually(async () => ((await api('kinds/connectionState')).body.instance?.state === 'open' ? true : undefined), 60_000, 200)
    await sim.client.groupSend(group.jid, { from: ALICE, vote: { messageId: id, options: ['Sushi'] } })
    await eventually(async () => (await eventsOf('MESSAGES_UPDATE', (data) => data.key.id === id && data.pollVote?.voter === pn(ALICE) && data.pollVote.selectedOptions[0] === 'Sushi'))[0], 30_000)

    const expected = {
      name: 'Lunch on Friday?',
      selectableCount: 0,
      options: [
        { name: 'Pizza', votes: 1, voters: [pn(BOB)] },
        { name: 'Sushi', votes: 1, voters: [pn(ALICE)] },
        { name: 'Salad', votes: 1, voters: [pn(BOB)] },
      ],
    }
    expect((await api(`kinds/messages/${id}`)).body.poll).toEqual(expected)
  }, 120_000)

})

describe('link previews', () => {
  it('a link to 127.0.0.1 without the private-URL setting: the text goes without a preview and nothing is fetched', async () => {
    const requests: string[] = []
    const page = http.createServer((request, response) => {
      requests.push(request.url ?? '')
      response.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><meta property="og:title" content="Private"></head></html>')
    })
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve))
    try {
      const link = `http://127.0.0.1:${(page.address() as AddressInfo).port}/internal`
      const sent = await post('message/sendText', { number: ALICE, text: `look: ${link}`, linkPreview: true })
      expect(sent.status, JSON.stringify(sent.body)).toBe(201)
      const received = await inboxOf(ALICE, (message) => message.id === sent.body.key.id)
      const content = (received.message.extendedTextMessage ?? {}) as Record<string, unknown>
      expect(content.title).toBeUndefined()
      expect(content.matchedText).toBeUndefined()
      expect(received.message.conversation ?? content.text).toBe(`look: ${link}`)
      // Without linkPreview, Baileys is not left to fetch it either.
      const plain = await post('message/sendText', { number: ALICE, text: `again: ${link}` })
      expect(plain.status).toBe(201)
      await inboxOf(ALICE, (message) => message.id === plain.body.key.id)
      expect(requests).toEqual([])
    } finally {
      await new Promise((resolve) => page.close(resolve))
    }
  })
})
