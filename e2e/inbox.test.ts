// The instance page's Inbox in a real browser against real web + worker processes, real Baileys and
// the WhatsApp simulator: the chat list (search, archived, unread, a group by its subject), a
// conversation scrolled back through 120 messages of history without gaps or repeats, photo,
// document, voice note, sticker, location, poll, reaction, reply, edit and deletion as bubbles,
// sending text and a photo with the ticks moving on receipts, an incoming message appearing live,
// and a group's info panel with its invite link and a confirmed member removal. At 1280 and at 390 px (one pane at a time), with
// screenshots. The Inbox's server actions and media route stay inside the signed-in account.
import { deflateSync, crc32 } from 'node:zlib'
import fs from 'node:fs'
import path from 'node:path'
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import type { Locator, Page, Request } from 'playwright-core'
import { hashPassword } from '@/lib/auth/password'
import { eventually } from '@/test-support/eventually'
import { dataPlane } from '@/test-support/data-plane'
import { mintKey } from '@/test-support/cli'
import { pairInstance } from '@/test-support/pairing'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'
import { launchBrowser, screenshotPath } from './support/browser'
import { cookieHeader, logIn } from './support/accounts'
import { startTestSimulator } from './support/simulator'

const DESKTOP = { width: 1280, height: 900 }
const PHONE_VIEWPORT = { width: 390, height: 844 }
const PASSWORD = 'inbox page passphrase'
const OWN = '15557770000'
const MARIA = '15557770001' // 120 messages of history, then live traffic
const BEN = '15557770002' // an archived chat
const CAROL = '15557770003' // a group member
const HISTORY = 120
/** Where the screenshots of this file are also copied, for people to look at. */
const SHOTS_DIR = '/tmp/inbox-shots'

const database = await useTestDatabase()
const sim = await startTestSimulator()
const stack = await startStack({ databaseUrl: database.url, env: sim.env })
const browser = await launchBrowser()
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end({ timeout: 5 }))

async function createAccount(email: string, instances: string[]) {
  const [user] = await sql`insert into users (email, password_hash, email_verified_at) values (${email}, ${await hashPassword(PASSWORD)}, now()) returning id`
  for (const name of instances) await sql`insert into instances (user_id, name) values (${user.id}, ${name})`
  return { userId: user.id as string, email }
}

/** A small gradient picture, so the thumbnails in the screenshots look like photos. */
function gradientPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8)
  const rows = Buffer.alloc((width * 3 + 1) * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set([40 + (x * 180) / width, 120 + (y * 100) / height, 200 - (x * 120) / width], y * (width * 3 + 1) + 1 + x * 3)
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))])
}
const PHOTO = gradientPng(320, 200)
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
const STICKER = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64') // a 1×1 WebP
const VOICE = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(60)])

const owner = await createAccount('inbox-owner@example.com', ['inbox-shop'])
const stranger = await createAccount('inbox-stranger@example.com', ['other-inbox'])
const api = dataPlane(stack, mintKey(stack, owner.email, '--rate-limit', '10000'))
const now = Math.floor(Date.now() / 1000)

await sim.client.createAccount(CAROL, 'Carol Diaz')
await sim.client.seedHistory(OWN, {
  full: 'never',
  chats: [
    {
      with: MARIA,
      pushName: 'Maria Lopez',
      unreadCount: 2,
      messages: Array.from({ length: HISTORY }, (_, i) => ({ id: `HIST${i}`, fromMe: i % 4 === 3, text: `history message ${i}`, timestamp: now - 2 * 86_400 + i * 60 })),
    },
    { with: BEN, pushName: 'Ben Archer', archived: true, messages: [{ id: 'BEN0', text: 'the crates are in the back', timestamp: now - 86_400 }] },
  ],
})
// Maria's phone sends receipts only when the test says so: the ticks move on cue.
await sim.client.setReceiptTiming({ deliveryMs: null, readMs: null, phone: MARIA })
await pairInstance(api, sim, 'inbox-shop', OWN)
const [instance] = await sql`select id from instances where name = 'inbox-shop'`
await eventually(async () => ((await sql`select count(*)::int as n from messages where instance_id = ${instance.id} and from_history`)[0].n >= HISTORY + 1 ? true : undefined), 60_000, 250)

async function stored(id: string): Promise<void> {
  await eventually(async () => ((await sql`select 1 from messages where instance_id = ${instance.id} and wa_id = ${id}`).length ? true : undefined), 15_000)
}

// Every kind of bubble, through the real Baileys.
const photo = await sim.client.send(MARIA, { to: OWN, media: { type: 'image', base64: PHOTO.toString('base64'), mimetype: 'image/png', caption: 'The blue teapot, as promised' } })
await sim.client.send(MARIA, { to: OWN, media: { type: 'document', base64: PDF.toString('base64'), mimetype: 'application/pdf', fileName: 'invoice-1042.pdf' } })
await sim.client.send(MARIA, { to: OWN, location: { latitude: 40.4168, longitude: -3.7038, name: 'Shop entrance', address: 'Puerta del Sol, Madrid' } })
const voice = await sim.client.send(MARIA, { to: OWN, media: { type: 'audio', base64: VOICE.toString('base64'), mimetype: 'audio/ogg; codecs=opus', ptt: true, seconds: 4 } })
const sticker = await sim.client.send(MARIA, { to: OWN, media: { type: 'sticker', base64: STICKER.toString('base64') } })
const typo = await sim.client.send(MARIA, { to: OWN, text: 'See you at 5pn' })
const regret = await sim.client.send(MARIA, { to: OWN, text: 'ignore this one' })
await stored(regret.id)
await sim.client.send(MARIA, { to: OWN, edit: { messageId: typo.id, text: 'See you at 5pm' } })
await sim.client.send(MARIA, { to: OWN, revoke: { messageId: regret.id } })
const reply = await api('inbox-shop/message/sendText', { method: 'POST', body: JSON.stringify({ number: MARIA, text: 'Lovely, shipping it today', quoted: { key: { id: photo.id, remoteJid: `${MARIA}@s.whatsapp.net`, fromMe: false } } }) })
expect(reply.status, JSON.stringify(reply.body)).toBe(201)
const poll = await api('inbox-shop/message/sendPoll', { method: 'POST', body: JSON.stringify({ number: MARIA, name: 'Which colour next?', values: ['Blue', 'Green', 'Red'], selectableCount: 1 }) })
expect(poll.status, JSON.stringify(poll.body)).toBe(201)
await eventually(async () => ((await sim.client.messages(MARIA)).some((message) => message.id === poll.body.key.id) ? true : undefined), 15_000)
await sim.client.send(MARIA, { to: OWN, vote: { messageId: poll.body.key.id, options: ['Green'] } })
const reaction = await sim.client.send(MARIA, { to: OWN, reaction: { messageId: reply.body.key.id, emoji: '❤️', fromMe: false } })
await stored(reaction.id)
await eventually(async () => ((await sql`select 1 from poll_votes`).length ? true : undefined), 15_000)

// A group the instance created (so it is the owner), with a message from a member.
const group = await api('inbox-shop/group/create', { method: 'POST', body: JSON.stringify({ subject: 'Acme VIP customers', participants: [MARIA, CAROL], description: 'Early access to new teapots' }) })
expect(group.status, JSON.stringify(group.body)).toBe(201)
const groupJid: string = group.body.id
const groupHello = await sim.client.groupSend(groupJid, { from: CAROL, text: 'Hi all, thanks for the invite!' })
await stored(groupHello.id)

async function copyShot(file: string) {
  fs.mkdirSync(SHOTS_DIR, { recursive: true })
  fs.copyFileSync(file, path.join(SHOTS_DIR, path.basename(file)))
}
async function shot(page: Page, name: string) {
  // The Inbox at the top of the window: the part of the page these pictures are about.
  await page.locator('section[aria-labelledby="inbox-heading"]').evaluate((element) => element.scrollIntoView({ block: 'start' }))
  const file = screenshotPath(`inbox-${name}`)
  await page.screenshot({ path: file })
  await copyShot(file)
}

const context = await browser.newContext({ viewport: DESKTOP })
context.setDefaultTimeout(15_000)
const page = await context.newPage()
await logIn(page, stack.baseUrl, owner.email, PASSWORD)

/** expect.poll with room for a busy machine: the page reads through server actions and a live stream. */
const settles = <T,>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 })

const chatList = (p: Page) => p.getByRole('list', { name: 'Chats' })
const chatButton = (p: Page, name: string) => chatList(p).getByRole('button').filter({ hasText: name })
const log = (p: Page) => p.getByRole('log', { name: 'Messages' })
const bubble = (p: Page, text: string): Locator => log(p).locator('[data-message-id]').filter({ hasText: text })

describe('the Inbox at 1280 px', () => {
  it('lists the chats, with unread badges and the group by its subject; searches; shows archived chats apart', async () => {
    await page.goto(`${stack.baseUrl}/instances/inbox-shop`)
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true))
    await page.getByRole('heading', { name: 'Inbox', exact: true }).waitFor()
    await page.getByText('Pick a chat').waitFor()
    expect(await page.getByRole('heading', { name: 'Recent messages' }).count()).toBe(0)
    const names = () => chatList(page).getByRole('button').locator('[data-chat-name]').allTextContents()
    // Both got their newest message within the same second or so: their order is the JIDs' then.
    await settles(async () => (await names()).sort()).toEqual(['Acme VIP customers', 'Maria Lopez'])
    expect(await names()).not.toContain('Ben Archer')
    await chatButton(page, 'Maria Lopez').locator('[data-unread]').waitFor()
    expect(await chatButton(page, 'Acme VIP customers').textContent()).toContain('Hi all, thanks for the invite!')

    await page.getByRole('searchbox', { name: 'Search chats' }).fill('mari')
    await settles(() => chatList(page).getByRole('button').count()).toBe(1)
    await chatButton(page, 'Maria Lopez').waitFor()
    await page.getByRole('searchbox', { name: 'Search chats' }).fill('zzz')
    await chatList(page).getByText('No chats match “zzz”.').waitFor()
    await page.getByRole('searchbox', { name: 'Search chats' }).fill('')
    await page.getByRole('button', { name: 'Archived' }).click()
    await chatButton(page, 'Ben Archer').waitFor()
    expect(await chatList(page).getByRole('button').count()).toBe(1)
    await page.getByRole('button', { name: 'All chats' }).click()
    await chatButton(page, 'Maria Lopez').waitFor()
  })

  it('opens a chat with every kind of bubble, and scrolls back through all of its history without gaps or repeats', { timeout: 60_000 }, async () => {
    await chatButton(page, 'Maria Lopez').click()
    await page.getByRole('heading', { level: 3, name: 'Maria Lopez' }).waitFor()
    // The image, from the dashboard's media route (the worker downloads it from WhatsApp once).
    const image = bubble(page, 'The blue teapot, as promised').locator('img')
    await image.waitFor()
    expect(await image.getAttribute('src')).toBe(`/instances/inbox-shop/media/${photo.id}`)
    await settles(() => image.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth)).toBe(320)
    await log(page).locator('[data-document]').filter({ hasText: 'invoice-1042.pdf' }).waitFor()
    await log(page).locator('[data-location="40.41680, -3.70380"]').filter({ hasText: 'Shop entrance' }).waitFor()
    const voiceNote = log(page).locator(`[data-message-id="${voice.id}"]`).getByLabel('Voice message')
    expect(await voiceNote.getAttribute('src')).toBe(`/instances/inbox-shop/media/${voice.id}`)
    const stickerImage = log(page).locator(`[data-message-id="${sticker.id}"]`).getByRole('img', { name: 'Sticker' })
    await settles(() => stickerImage.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth)).toBe(1)
    expect(await bubble(page, 'See you at 5pm').locator('[data-edited]').textContent()).toBe('edited')
    expect(await bubble(page, '5pn').count()).toBe(0)
    await log(page).getByText('This message was deleted').waitFor()
    expect(await log(page).getByText('ignore this one').count()).toBe(0)
    const replyBubble = bubble(page, 'Lovely, shipping it today')
    expect(await replyBubble.locator(`[data-reply-to="${photo.id}"]`).textContent()).toContain('The blue teapot, as promised')
    expect(await replyBubble.getByRole('list', { name: 'Reactions' }).textContent()).toBe('❤️')
    const pollBubble = log(page).locator('[data-poll]')
    expect(await pollBubble.textContent()).toContain('Which colour next?')
    expect(await pollBubble.locator('li').filter({ hasText: 'Green' }).textContent()).toMatch(/Green\s*1$/)
    await shot(page, 'conversation-desktop')

    // Scroll back: each page joins above the last until the beginning of the stored history.
    await eventually(async () => {
      await log(page).evaluate((element) => element.scrollTo({ top: -element.scrollHeight }))
      return (await log(page).getByText('The beginning of the stored history').count()) ? true : undefined
    }, 30_000, 300)
    const ids = await log(page).locator('[data-message-id]').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-message-id')!))
    expect(new Set(ids).size).toBe(ids.length)
    const history = ids.filter((id) => id.startsWith('HIST'))
    expect(history).toEqual(Array.from({ length: HISTORY }, (_, i) => `HIST${i}`))
    await bubble(page, 'history message 0').waitFor()
    await shot(page, 'history-desktop')
  })

  it('sends text and a photo through the composer; the ticks move with the receipts', { timeout: 60_000 }, async () => {
    const box = page.getByRole('textbox', { name: 'Message' })
    await box.fill('Hello from the Inbox')
    await box.press('Enter')
    const sent = bubble(page, 'Hello from the Inbox')
    await sent.waitFor()
    await settles(() => sent.locator('[data-status]').getAttribute('data-status')).toBe('SERVER_ACK')
    const id = (await sent.getAttribute('data-message-id'))!
    expect((await sim.client.messages(MARIA)).find((message) => message.id === id)?.message).toMatchObject({ extendedTextMessage: { text: 'Hello from the Inbox' } })
    await sim.client.sendReceipt(MARIA, OWN, [id], 'delivery')
    await settles(() => sent.locator('[data-status]').getAttribute('data-status')).toBe('DELIVERY_ACK')
    await sim.client.sendReceipt(MARIA, OWN, [id], 'read')
    await settles(() => sent.locator('[data-status]').getAttribute('data-status')).toBe('READ')
    expect(await box.inputValue()).toBe('')

    await page.getByLabel('Attach a file').setInputFiles({ name: 'teapot.png', mimeType: 'image/png', buffer: PHOTO })
    await page.locator('[data-attachment]').filter({ hasText: 'teapot.png' }).waitFor()
    await box.fill('Photo from the dashboard')
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    const photoBubble = bubble(page, 'Photo from the dashboard')
    await photoBubble.locator('img').waitFor()
    await settles(() => photoBubble.locator('img').evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth)).toBe(320)
    await settles(() => photoBubble.locator('[data-status]').getAttribute('data-status')).toBe('SERVER_ACK')
    const photoId = (await photoBubble.getAttribute('data-message-id'))!
    const received = await eventually(async () => (await sim.client.messages(MARIA)).find((message) => message.id === photoId), 15_000)
    expect(received.message.imageMessage).toMatchObject({ caption: 'Photo from the dashboard', mimetype: 'image/png' })
    expect(await page.locator('[data-attachment]').count()).toBe(0)

    // A refusal is said in the composer, and nothing is sent: an empty file.
    await page.getByLabel('Attach a file').setInputFiles({ name: 'empty.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(0) })
    await page.getByRole('button', { name: 'Send', exact: true }).click()
    await page.getByRole('alert').filter({ hasText: 'The file is empty' }).waitFor()
    await page.getByRole('button', { name: 'Remove the attachment' }).click()
  })

  it('shows an incoming message live, without a reload, and moves its chat up', { timeout: 30_000 }, async () => {
    const live = await sim.client.send(MARIA, { to: OWN, text: 'Just arrived: can I pick it up tomorrow?' })
    await bubble(page, 'Just arrived: can I pick it up tomorrow?').waitFor()
    expect(await log(page).locator(`[data-message-id="${live.id}"]`).count()).toBe(1)
    await settles(async () => (await chatList(page).getByRole('button').first().textContent()) ?? '').toContain('Just arrived')
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true)).toBe(true)
    await shot(page, 'sent-desktop')
  })

  it("opens a group's info panel: members with admin badges, the invite link, and a confirmed removal", { timeout: 60_000 }, async () => {
    await chatButton(page, 'Acme VIP customers').click()
    await bubble(page, 'Hi all, thanks for the invite!').waitFor()
    expect(await bubble(page, 'Hi all, thanks for the invite!').textContent()).toContain('Carol Diaz')
    await page.getByRole('button', { name: 'Group info' }).click()
    const panel = page.getByRole('complementary', { name: 'Group info' })
    const members = panel.getByRole('list', { name: 'Members' })
    await members.waitFor()
    expect(await panel.getByRole('heading', { name: 'Acme VIP customers' }).count()).toBe(1)
    await panel.getByText('Early access to new teapots').waitFor()
    expect(await members.getByRole('listitem').count()).toBe(3)
    expect(await members.locator(`[data-member="${OWN}"] [data-admin]`).textContent()).toBe('Owner')
    expect(await members.locator(`[data-member="${CAROL}"]`).textContent()).toContain('Carol Diaz')
    const invite = (await panel.locator('[data-invite-url]').textContent())!
    expect(invite).toMatch(/^https:\/\/chat\.whatsapp\.com\/[A-Za-z0-9]+$/)
    await shot(page, 'group-desktop')

    await panel.getByRole('button', { name: 'Reset link' }).click()
    const resetDialog = page.getByRole('dialog', { name: 'Reset the invite link?' })
    await resetDialog.getByRole('button', { name: 'Reset link' }).click()
    await resetDialog.waitFor({ state: 'detached' })
    await settles(() => panel.locator('[data-invite-url]').textContent()).not.toBe(invite)
    expect(`https://chat.whatsapp.com/${(await sim.client.group(groupJid)).inviteCode}`).toBe(await panel.locator('[data-invite-url]').textContent())

    await members.getByLabel('Manage Carol Diaz').click()
    await members.getByRole('button', { name: 'Remove from group' }).click()
    const removeDialog = page.getByRole('dialog', { name: 'Remove Carol Diaz?' })
    await removeDialog.getByRole('button', { name: 'Cancel' }).click()
    await removeDialog.waitFor({ state: 'detached' })
    expect((await sim.client.group(groupJid)).participants.map((member) => member.phone)).toContain(CAROL)
    await members.getByRole('button', { name: 'Remove from group' }).click()
    await removeDialog.getByRole('button', { name: 'Remove' }).click()
    await removeDialog.waitFor({ state: 'detached' })
    await settles(() => members.getByRole('listitem').count()).toBe(2)
    expect((await sim.client.group(groupJid)).participants.map((member) => member.phone)).not.toContain(CAROL)
    await panel.getByRole('button', { name: 'Close group info' }).click()
  })
})

describe('the Inbox at 390 px', () => {
  it('shows the list, then the conversation alone with a way back, and the group panel over it', { timeout: 60_000 }, async () => {
    const phone = await browser.newContext({ viewport: PHONE_VIEWPORT })
    phone.setDefaultTimeout(15_000)
    const small = await phone.newPage()
    await logIn(small, stack.baseUrl, owner.email, PASSWORD)
    await small.goto(`${stack.baseUrl}/instances/inbox-shop`)
    await chatButton(small, 'Maria Lopez').waitFor()
    await small.getByRole('heading', { name: 'Inbox', exact: true }).scrollIntoViewIfNeeded()
    expect(await small.getByText('Pick a chat').isVisible()).toBe(false)
    await shot(small, 'list-phone')

    await chatButton(small, 'Maria Lopez').click()
    await bubble(small, 'Just arrived').waitFor()
    const smallPhoto = bubble(small, 'Photo from the dashboard').locator('img')
    await settles(() => smallPhoto.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth)).toBe(320)
    expect(await chatList(small).isVisible()).toBe(false)
    const width = await small.evaluate(() => document.documentElement.scrollWidth)
    expect(width).toBeLessThanOrEqual(390)
    await small.getByRole('textbox', { name: 'Message' }).waitFor()
    await shot(small, 'conversation-phone')

    await small.getByRole('button', { name: 'Back to chats' }).click()
    await chatList(small).waitFor()
    await chatButton(small, 'Acme VIP customers').click()
    await small.getByRole('button', { name: 'Group info' }).click()
    await small.getByRole('complementary', { name: 'Group info' }).getByRole('list', { name: 'Members' }).waitFor()
    await shot(small, 'group-phone')
    await phone.close()
  })
})

describe('account scoping', () => {
  it("the Inbox's actions and media route answer only for the signed-in account's instances", { timeout: 30_000 }, async () => {
    const anonymous = await fetch(`${stack.baseUrl}/instances/inbox-shop/media/${photo.id}`, { redirect: 'manual' })
    expect(anonymous.status).toBe(401)
    const cookie = await cookieHeader(context)
    const own = await fetch(`${stack.baseUrl}/instances/inbox-shop/media/${photo.id}`, { headers: { cookie } })
    expect(own.status).toBe(200)
    expect(own.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await own.arrayBuffer()).equals(PHOTO)).toBe(true)
    const others = await fetch(`${stack.baseUrl}/instances/other-inbox/media/${photo.id}`, { headers: { cookie } })
    expect(others.status).toBe(404)
    expect((await others.json()).error).toBe('instance_not_found')
    const unknown = await fetch(`${stack.baseUrl}/instances/inbox-shop/media/NOSUCHID`, { headers: { cookie } })
    expect(unknown.status).toBe(404)

    // The messages action, captured from the page and replayed: for another account's instance it finds nothing.
    const captured = page.waitForRequest((request) => request.method() === 'POST' && Boolean(request.headers()['next-action']) && (request.postData() ?? '').includes(MARIA))
    await chatButton(page, 'Maria Lopez').click()
    const request: Request = await captured
    const headers: Record<string, string> = { ...(await request.allHeaders()), cookie }
    for (const name of Object.keys(headers)) if (name.startsWith(':') || name === 'content-length') delete headers[name]
    const body = request.postData()!
    const replay = (changed: string, extra: Record<string, string> = {}) => fetch(request.url(), { method: 'POST', headers: { ...headers, ...extra }, body: changed })
    expect(await (await replay(body)).text()).toContain('history message')
    const foreign = await (await replay(body.replace('"inbox-shop"', '"other-inbox"'))).text()
    expect(foreign).toContain('No instance named \\"other-inbox\\"')
    expect(foreign).not.toContain('history message')
    const crossSite = await (await replay(body, { 'sec-fetch-site': 'cross-site' })).text()
    expect(crossSite).toContain('Cross-site requests are not allowed')
    expect(body).toMatch(/"cursor":"\$undefined"/)
    const badCursor = await (await replay(body.replace(/"cursor":"\$undefined"/, '"cursor":"bm90LWEtY3Vyc29y"'))).text()
    expect(badCursor).toContain('Use the nextCursor of the previous page, as it came')
    const unknownChat = await (await replay(body.replace(`${MARIA}@s.whatsapp.net`, '15550000000@s.whatsapp.net'))).text()
    expect(unknownChat).toContain('has no chat with 15550000000@s.whatsapp.net')
    expect(stranger.userId).toBeTruthy()
  })
})
