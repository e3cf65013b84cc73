// The virtual phone (a sandbox instance's contact) shows every kind of message the API sends: a poll
// the contact votes on from the phone (the vote reaches us as POLL_VOTE), a sticker, a voice note
// with its play button and waveform, a link preview, an edit ("Edited") and a delete for everyone.
// Screenshots at 1280 and 390 wide.
import http from 'node:http'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import postgres from 'postgres'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'
import { startTestSimulator } from './support/simulator'
import { launchBrowser, screenshotPath } from './support/browser'
import { createVerifiedAccount, sessionCookie } from '@/test-support/accounts'
import { swellingToneWav } from '@/test-support/audio'
import { dataPlane } from '@/test-support/data-plane'
import { mintKey } from '@/test-support/cli'
import { eventually } from '@/test-support/eventually'
import { setTestSendPolicy } from '@/test-support/send-policy'
import { startSandboxService } from '@/simulator/index'

const INSTANCE = 'phone-kinds'
const CONTACT = '15550000001'

const database = await useTestDatabase()
const sim = await startTestSimulator()
const sandboxService = await startSandboxService({ dataDir: mkdtempSync(join(tmpdir(), 'sage-phone-kinds-')) })
afterAll(sandboxService.stop)
const stack = await startStack({ databaseUrl: database.url, env: { ...sim.env, SANDBOX_URL: sandboxService.url } })
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end({ timeout: 5 }))

// The page a link preview is made of.
const site = http.createServer((_request, response) =>
  response
    .writeHead(200, { 'content-type': 'text/html' })
    .end('<html><head><title>Bakery</title><meta property="og:title" content="Fresh bread, every morning"><meta property="og:description" content="Sourdough, rye and croissants from 7 am."></head></html>'),
)
await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
afterAll(() => new Promise((resolve) => site.close(resolve)))
const link = `http://127.0.0.1:${(site.address() as AddressInfo).port}/menu`

const account = await createVerifiedAccount(database.url)
const key = mintKey(stack, account.email, '--scope', 'account', '--rate-limit', '10000')
const api = dataPlane(stack, key)
const post = async (path: string, body: Record<string, unknown>, method = 'POST') => {
  const response = await api(`${INSTANCE}/${path}`, { method, body: JSON.stringify({ number: CONTACT, ...body }) })
  expect(response.status, `${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300)
  return response.body
}

const created = await fetch(`${stack.baseUrl}/api/v1/instances`, {
  method: 'POST',
  headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  body: JSON.stringify({ instanceName: INSTANCE, sandbox: true }),
})
expect(created.status).toBe(201)
expect((await api(`${INSTANCE}/connect`)).status).toBe(200)
await eventually(async () => ((await api(`${INSTANCE}/connectionState`)).body.instance?.state === 'open' ? true : undefined), 30_000, 200)
// Not about pacing: the send policy off, as pairInstance does for the other tests (test-support/send-policy.ts).
await setTestSendPolicy(api, INSTANCE)
expect((await api(`${INSTANCE}/sandbox/contacts`, { method: 'POST', body: JSON.stringify({ contacts: [{ number: CONTACT, name: 'Alice' }] }) })).status).toBe(200)

const browser = await launchBrowser()
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
context.setDefaultTimeout(15_000)
const [cookieName, cookieValue] = (await sessionCookie(database.url, account.userId, stack.env.AUTH_SECRET!)).split(/=(.*)/s)
await context.addCookies([{ name: cookieName, value: cookieValue, url: stack.baseUrl }])
const page = await context.newPage()

async function screenshots(target: Page, name: string) {
  await target.setViewportSize({ width: 1280, height: 900 })
  await target.screenshot({ path: screenshotPath(`${name}-desktop`), fullPage: true })
  await target.setViewportSize({ width: 390, height: 844 })
  await target.screenshot({ path: screenshotPath(`${name}-phone`), fullPage: true })
  await target.setViewportSize({ width: 1280, height: 900 })
}

const bubble = (id: string) => page.locator(`[data-message-id="${id}"]`)

describe('the virtual phone shows every kind of message', () => {
  const sent: Record<string, string> = {}

  it('the API sends a link, a poll, a sticker, a voice note, an edited text and a deleted one', async () => {
    sent.link = (await post('message/sendText', { text: `Our menu: ${link}`, linkPreview: true })).key.id
    sent.poll = (await post('message/sendPoll', { name: 'Pick up or delivery?', values: ['Pick up', 'Delivery'], selectableCount: 1 })).key.id
    const png = await sharp({ create: { width: 64, height: 64, channels: 4, background: { r: 250, g: 180, b: 40, alpha: 1 } } }).png().toBuffer()
    sent.sticker = (await post('message/sendSticker', { sticker: png.toString('base64') })).key.id
    sent.voice = (await post('message/sendWhatsAppAudio', { audio: swellingToneWav(2).toString('base64') })).key.id
    sent.edited = (await post('message/sendText', { text: 'Ready at 5' })).key.id
    await post('chat/updateMessage', { key: { remoteJid: `${CONTACT}@s.whatsapp.net`, fromMe: true, id: sent.edited }, text: 'Ready at 6' })
    sent.deleted = (await post('message/sendText', { text: 'Wrong chat, sorry' })).key.id
    const deleted = await api(`${INSTANCE}/chat/deleteMessageForEveryone`, { method: 'DELETE', body: JSON.stringify({ remoteJid: `${CONTACT}@s.whatsapp.net`, fromMe: true, id: sent.deleted }) })
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200)
  })

  it('shows each one on the contact’s phone', async () => {
    await page.goto(`${stack.baseUrl}/demo/phone?instance=${INSTANCE}&contact=${CONTACT}`)
    const preview = bubble(sent.link).getByTestId('link-preview')
    await preview.waitFor()
    expect(await preview.textContent()).toContain('Fresh bread, every morning')
    expect(await preview.textContent()).toContain('Sourdough, rye and croissants')

    const poll = bubble(sent.poll).getByTestId('poll')
    await poll.waitFor()
    expect(await poll.getByRole('radio').allTextContents()).toEqual([expect.stringContaining('Pick up'), expect.stringContaining('Delivery')])

    const sticker = bubble(sent.sticker).getByTestId('sticker')
    await sticker.waitFor()
    expect(await sticker.getAttribute('src')).toMatch(/^data:image\/webp;base64,/)

    const voice = bubble(sent.voice).getByTestId('voice-note')
    await voice.waitFor()
    const play = voice.getByRole('button', { name: 'Play voice message' })
    expect(await play.isEnabled()).toBe(true)
    expect(await voice.textContent()).toContain('0:02')
    expect(await voice.locator('audio').getAttribute('src')).toMatch(/^data:audio\/ogg;base64,/)

    await bubble(sent.edited).getByTestId('edited').waitFor()
    expect(await bubble(sent.edited).textContent()).toContain('Ready at 6')
    expect(await bubble(sent.edited).textContent()).not.toContain('Ready at 5')

    await bubble(sent.deleted).getByTestId('deleted').waitFor()
    expect(await bubble(sent.deleted).textContent()).toContain('This message was deleted')
    expect(await bubble(sent.deleted).textContent()).not.toContain('Wrong chat')
  })

  it('a vote from the phone reaches the instance as POLL_VOTE and shows on the poll', async () => {
    await bubble(sent.poll).getByRole('radio', { name: /Delivery/ }).click()
    const vote = await eventually(async () => {
      const [row] = await sql`select data from instance_events where event = 'POLL_VOTE' and data->'key'->>'id' = ${sent.poll}`
      return row?.data
    }, 15_000)
    expect(vote.pollVote).toMatchObject({ voter: `${CONTACT}@s.whatsapp.net`, selectedOptions: ['Delivery'] })
    expect(vote.poll.options).toEqual([
      { name: 'Pick up', votes: 0, voters: [] },
      { name: 'Delivery', votes: 1, voters: [`${CONTACT}@s.whatsapp.net`] },
    ])
    await eventually(async () => ((await bubble(sent.poll).getByRole('radio', { name: /Delivery/ }).getAttribute('aria-checked')) === 'true' ? true : undefined), 10_000)
    expect((await api(`${INSTANCE}/messages/${sent.poll}`)).body.poll.options[1]).toMatchObject({ name: 'Delivery', votes: 1 })
    await screenshots(page, 'virtual-phone-kinds')
    // The start of the chat: the link preview.
    await page.locator('ol[aria-label^="Chat with"]').evaluate((list) => list.parentElement!.scrollTo(0, 0))
    await screenshots(page, 'virtual-phone-kinds-top')
  })
})
