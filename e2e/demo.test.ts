// Demo mode end to end in a real browser: real web + worker processes, real Baileys, the WhatsApp
// simulator driven by the virtual phone page. Sign in → create an instance → its QR on the instance
// page → "Scan QR" on /demo/phone → open on both pages without a reload → the contact's text,
// location and photo reach the instance (MESSAGES_UPSERT, the Inbox) → the API sends to the
// contact and it shows on the virtual phone → receipts as ticks. Without demo mode: 404.
// Screenshots at 1280 and 390 wide.
import { afterAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import postgres from 'postgres'
import { hashPassword } from '@/lib/auth/password'
import { useTestDatabase } from './support/database'
import { eventually } from '@/test-support/eventually'
import { startStack } from './support/stack'
import { launchBrowser, screenshotPath } from './support/browser'
import { logIn, submit } from './support/accounts'
import { startTestSimulator } from './support/simulator'
import { dataPlane } from '@/test-support/data-plane'
import { mintKey } from '@/test-support/cli'

const DESKTOP = { width: 1280, height: 900 }
const PHONE_VIEWPORT = { width: 390, height: 844 }
const PASSWORD = 'virtual phone passphrase'
const OWN = '15550107777'
const ALICE = '919876543210'
const INSTANCE = 'demo-shop'

const database = await useTestDatabase()
const sim = await startTestSimulator()
const [stack, plainStack] = await Promise.all([
  startStack({ databaseUrl: database.url, env: { ...sim.env, WA_SIMULATOR_CONTROL_URL: sim.simulator.controlUrl } }),
  // The same database without demo mode and without sandboxes (no worker needed): the virtual phone
  // must not exist there (with sandboxes on it serves sandbox instances: e2e/sandbox.test.ts).
  startStack({ databaseUrl: database.url, env: { ...sim.env, SANDBOX_ENABLED: 'false' }, workers: 0 }),
])
const browser = await launchBrowser()
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end({ timeout: 5 }))

const email = 'demo-user@example.com'
await sql`insert into users (email, password_hash, email_verified_at) values (${email}, ${await hashPassword(PASSWORD)}, now())`

const context = await browser.newContext({ viewport: DESKTOP, permissions: ['clipboard-read', 'clipboard-write'] })
context.setDefaultTimeout(10_000)
const instancePage = await context.newPage()
await logIn(instancePage, stack.baseUrl, email, PASSWORD)
const phonePage = await context.newPage()

async function screenshots(page: Page, name: string) {
  await page.setViewportSize(DESKTOP)
  await page.screenshot({ path: screenshotPath(`${name}-desktop`), fullPage: true })
  await page.setViewportSize(PHONE_VIEWPORT)
  await page.screenshot({ path: screenshotPath(`${name}-phone`), fullPage: true })
  await page.setViewportSize(DESKTOP)
}

/** Marks the document; a reload or navigation loses the mark. */
const markDocument = (page: Page) => page.evaluate(() => ((window as unknown as { __same: boolean }).__same = true))
const sameDocument = (page: Page) => page.evaluate(() => (window as unknown as { __same?: boolean }).__same === true)

const chat = (page: Page) => page.getByRole('list', { name: /^Chat with / })
const bubble = (page: Page, direction: 'in' | 'out', text: string) => chat(page).locator(`li[data-direction=${direction}]`).filter({ hasText: text })

async function upserts(): Promise<{ key: { id: string; fromMe: boolean; remoteJid: string }; messageType: string; message: unknown }[]> {
  const rows = await sql`select data from instance_events where event = 'MESSAGES_UPSERT' order by seq`
  return rows.map((row) => row.data)
}

describe('the virtual phone pairs an instance', () => {
  it('the dashboard says demo mode and links to the virtual phone', async () => {
    await instancePage.getByText('Demo mode.').waitFor()
    expect(await instancePage.getByRole('link', { name: 'Open the virtual phone →' }).getAttribute('href')).toBe('/demo/phone')
  })

  it('create an instance, Connect: the QR shows on the instance page', async () => {
    await instancePage.getByLabel('Instance name').fill(INSTANCE)
    await submit(instancePage, 'Create instance')
    await instancePage.getByText(`Instance ${INSTANCE} created.`).waitFor()
    await instancePage.goto(`${stack.baseUrl}/instances/${INSTANCE}`)
    await instancePage.getByRole('button', { name: 'Connect', exact: true }).click()
    await instancePage.locator('img[data-qr]').waitFor()
    await markDocument(instancePage)
  })

  it('"Scan QR" on /demo/phone links it; both pages show it connected without a reload', async () => {
    await phonePage.goto(`${stack.baseUrl}/demo/phone`)
    await phonePage.getByRole('heading', { level: 1, name: 'Virtual phone' }).waitFor()
    // Alice exists from the first look, selected, and the phone says there is nobody to chat with yet.
    await phonePage.getByRole('button', { name: /Alice/, pressed: true }).waitFor()
    await phonePage.getByText('Nobody to chat with yet').waitFor()
    await markDocument(phonePage)
    await screenshots(phonePage, 'demo-phone-qr')

    await phonePage.getByLabel("Your phone's number").fill('+1 555 010 7777')
    await phonePage.getByRole('button', { name: `Scan QR of ${INSTANCE}` }).click()

    await instancePage.getByRole('heading', { name: 'Connected to WhatsApp' }).waitFor({ timeout: 30_000 })
    await expect.poll(() => instancePage.getByTestId('instance-subtitle').textContent()).toContain(`+${OWN}`)
    await phonePage.locator(`li[data-instance=${INSTANCE}] [data-state=open]`).waitFor({ timeout: 15_000 })
    await expect.poll(() => phonePage.getByTestId('phone-presence').textContent()).toBe(`online · ${INSTANCE}`)
    expect(await sameDocument(instancePage)).toBe(true)
    expect(await sameDocument(phonePage)).toBe(true)
    expect((await sim.client.account(OWN)).companions).toHaveLength(1)
  })
})

describe('messages both ways', () => {
  it("the contact's text reaches the instance: MESSAGES_UPSERT, the Inbox, and ticks on the phone", async () => {
    await phonePage.getByLabel('Message', { exact: true }).fill('Hi from Alice')
    await phonePage.getByRole('button', { name: 'Send', exact: true }).click()
    const mine = bubble(phonePage, 'out', 'Hi from Alice')
    await mine.waitFor()
    const event = await eventually(async () => (await upserts()).find((data) => JSON.stringify(data.message).includes('Hi from Alice')), 15_000)
    expect(event.key).toMatchObject({ fromMe: false, remoteJid: `${ALICE}@s.whatsapp.net` })
    // Stored by the instance, so at least delivered: two ticks (the instance's delivery receipt).
    await mine.locator('[data-ticks=delivered]').waitFor({ timeout: 15_000 })
    expect(await mine.getAttribute('data-message-id')).toBe(event.key.id)
    await instancePage.getByRole('list', { name: 'Chats' }).getByText('Hi from Alice').waitFor({ timeout: 15_000 })
    expect(await sameDocument(phonePage)).toBe(true)
  })

  it('a location and the sample photo arrive as location and image messages', async () => {
    await phonePage.getByRole('button', { name: 'Send a location' }).click()
    await bubble(phonePage, 'out', 'Eiffel Tower').waitFor()
    await phonePage.getByRole('button', { name: 'Send a photo' }).click()
    await bubble(phonePage, 'out', 'A photo from the virtual phone').locator('img').waitFor({ timeout: 15_000 })
    const types = await eventually(async () => {
      const found = (await upserts()).filter((data) => !data.key.fromMe).map((data) => data.messageType)
      return found.includes('locationMessage') && found.includes('imageMessage') ? found : undefined
    }, 15_000)
    expect(types).toEqual(expect.arrayContaining(['locationMessage', 'imageMessage']))
    // The Inbox: Alice's chat, opened, shows both.
    await instancePage.getByRole('list', { name: 'Chats' }).getByRole('button').filter({ hasText: 'A photo from the virtual phone' }).click({ timeout: 15_000 })
    const conversation = instancePage.getByRole('log', { name: 'Messages' })
    await conversation.locator('[data-location]').filter({ hasText: 'Eiffel Tower' }).waitFor({ timeout: 15_000 })
    await conversation.locator('[data-message-id]').filter({ hasText: 'A photo from the virtual phone' }).locator('img').waitFor()
  })

  it('the API sends to the contact: it shows on the virtual phone; marking read turns the ticks blue', async () => {
    const api = dataPlane(stack, mintKey(stack, email))
    const hint = await phonePage.getByLabel('curl to the contact').textContent()
    expect(hint).toContain(`/api/v1/instance/${INSTANCE}/message/sendText`)
    expect(hint).toContain(`"number": "${ALICE}"`)

    const sent = await api(`${INSTANCE}/message/sendText`, { method: 'POST', body: JSON.stringify({ number: ALICE, text: 'Hello Alice, from the API!' }) })
    expect(sent.status).toBe(201)
    const theirs = bubble(phonePage, 'in', 'Hello Alice, from the API!')
    await theirs.waitFor({ timeout: 15_000 })
    expect(await theirs.getAttribute('data-message-id')).toBe(sent.body.key.id)
    // Alice's phone answers with delivery and read receipts: the API message ends READ.
    await eventually(async () => ((await api(`${INSTANCE}/messages/${sent.body.key.id}`)).body.status === 'READ' ? true : undefined), 15_000)

    const hi = (await upserts()).find((data) => JSON.stringify(data.message).includes('Hi from Alice'))!
    const read = await api(`${INSTANCE}/chat/markMessageAsRead`, {
      method: 'POST',
      body: JSON.stringify({ readMessages: [{ remoteJid: `${ALICE}@s.whatsapp.net`, fromMe: false, id: hi.key.id }] }),
    })
    expect(read.status).toBe(200)
    await bubble(phonePage, 'out', 'Hi from Alice').locator('[data-ticks=read]').waitFor({ timeout: 15_000 })
    expect(await sameDocument(phonePage)).toBe(true)
  })

  it('a new contact can be added and chats separately', async () => {
    await phonePage.getByRole('button', { name: 'Add a contact' }).click()
    await phonePage.getByLabel('Name', { exact: true }).fill('Bob')
    await phonePage.getByLabel('Number', { exact: true }).fill('+44 7700 900123')
    await phonePage.getByRole('button', { name: 'Add contact' }).click()
    await phonePage.getByRole('button', { name: /Bob/, pressed: true }).waitFor()
    await phonePage.getByText("Bob's phone", { exact: true }).waitFor()
    // The chat body comes from the feed the page polls; on a loaded machine a poll can take a while.
    // The chat is titled with the paired account's WhatsApp name once the worker has it, else its number.
    await phonePage.getByText(/^Say hi to (My Business|\+1 555 010 7777)\.$/).waitFor({ timeout: 30_000 })
    expect(phonePage.url()).toContain('contact=447700900123')
    await phonePage.getByRole('button', { name: /Alice/ }).click()
    await bubble(phonePage, 'out', 'Hi from Alice').waitFor({ timeout: 30_000 })
  }, 90_000)

  it('screenshots of the virtual phone and the paired instance', async () => {
    await screenshots(phonePage, 'demo-phone-chat')
    await screenshots(instancePage, 'demo-instance-paired')
  })
})

describe('outside demo mode', () => {
  it('with sandboxes off, /demo/phone and its feed answer 404, and the dashboard has no demo banner', async () => {
    expect((await fetch(`${plainStack.baseUrl}/demo/phone`, { redirect: 'manual' })).status).toBe(404)
    expect((await fetch(`${plainStack.baseUrl}/demo/phone/feed`)).status).toBe(404)
    // Its own context: cookies ignore ports, and this stack signs sessions with another secret.
    const plain = await browser.newContext({ viewport: DESKTOP })
    const page = await plain.newPage()
    await logIn(page, plainStack.baseUrl, email, PASSWORD)
    expect(await page.getByText('Demo mode.').count()).toBe(0)
    const response = await page.goto(`${plainStack.baseUrl}/demo/phone`)
    expect(response?.status()).toBe(404)
    await plain.close()
  })

  it('in demo mode, a logged-out visitor is sent to log in (and the feed says 401)', async () => {
    const response = await fetch(`${stack.baseUrl}/demo/phone`, { redirect: 'manual' })
    expect([303, 307, 308]).toContain(response.status)
    expect(response.headers.get('location')).toContain('/login?next=%2Fdemo%2Fphone')
    expect((await fetch(`${stack.baseUrl}/demo/phone/feed`)).status).toBe(401)
  })
})
