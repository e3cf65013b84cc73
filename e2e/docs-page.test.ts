// /docs in a real browser: public for signed-out visitors; signed-in visitors see their own instance
// names and key prefix in the examples; "Try it" sends a real request with a pasted key that is never
// stored. Screenshots at 1280 and 390 wide.
import { afterAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import postgres from 'postgres'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'
import { launchBrowser, screenshotPath } from './support/browser'
import { logIn } from './support/accounts'
import { mintKey } from '@/test-support/cli'

const database = await useTestDatabase()
const stack = await startStack({ databaseUrl: database.url, workers: 0 })
const browser = await launchBrowser()
const { createUser } = await import('@/lib/services/accounts/users')
const { ENDPOINTS } = await import('@/lib/api/openapi/registry')
const { ERROR_CODES } = await import('@/lib/api/errors')
const { VERIFY_NODE, VERIFY_PYTHON } = await import('@/lib/api/openapi/webhook-events')
const { baseUrl } = stack

const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }
const PASSWORD = 'docs page passphrase'

const sql = postgres(database.url, { max: 1, onnotice: () => {} })
afterAll(() => sql.end({ timeout: 5 }))

async function openDocs(options: { viewport: typeof DESKTOP; phone?: boolean; email?: string; path?: string }) {
  const context = await browser.newContext({
    viewport: options.viewport,
    permissions: ['clipboard-read', 'clipboard-write'],
    ...(options.phone ? { isMobile: true, hasTouch: true } : {}),
  })
  context.setDefaultTimeout(10_000)
  const page = await context.newPage()
  if (options.email) await logIn(page, baseUrl, options.email, PASSWORD)
  await page.goto(`${baseUrl}${options.path ?? '/docs'}`)
  await page.getByRole('heading', { name: 'API Documentation' }).waitFor()
  return { context, page }
}

function curlOf(page: Page, endpointId: string) {
  return page.locator(`section#${endpointId} pre`).first().textContent()
}

async function noHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  expect(overflow).toBeLessThanOrEqual(0)
}

describe('signed out', () => {
  it('is public, lists every endpoint, the error table and the signature verification snippets', async () => {
    const { context, page } = await openDocs({ viewport: DESKTOP })
    expect(page.url()).toBe(`${baseUrl}/docs`)
    await expect.poll(() => page.getByRole('link', { name: 'Log in' }).isVisible()).toBe(true)
    for (const endpoint of ENDPOINTS) {
      const section = page.locator(`section#${endpoint.id}`)
      expect(await section.count(), endpoint.id).toBe(1)
      expect(await section.locator('code').first().textContent()).toBe(endpoint.path)
    }
    const errorRows = page.getByRole('table', { name: 'Error codes' }).locator('tbody tr')
    expect(await errorRows.count()).toBe(Object.keys(ERROR_CODES).length)
    // The "Keeping your number safe" guide: every policy field with its default and recommended value.
    expect(await page.locator('section#keeping-your-number-safe h2').textContent()).toContain('Keeping your number safe')
    expect(await page.getByRole('table', { name: 'Send policy' }).locator('tbody tr').count()).toBe(7)
    // Auto-pause: one row per signal, each with its threshold.
    expect(await page.getByRole('table', { name: 'Auto-pause signals' }).locator('tbody tr').count()).toBe(5)
    await page.locator('section#keeping-your-number-safe').screenshot({ path: screenshotPath('docs-keeping-your-number-safe-1280') })
    const verification = page.getByRole('tabpanel', { name: 'Signature verification' })
    expect(await verification.textContent()).toBe(VERIFY_NODE)
    await page.getByRole('tab', { name: 'Python 3.10+' }).click()
    expect(await verification.textContent()).toBe(VERIFY_PYTHON)
    expect(await curlOf(page, 'send-text')).toContain(`curl -X POST '${baseUrl}/api/v1/instance/acme-prod/message/sendText'`)
    expect(await curlOf(page, 'send-text')).toContain('Bearer sage_kf3hJ2...XYz')

    const sendText = page.locator('section#send-text')
    await sendText.getByRole('tab', { name: 'Node' }).click()
    await sendText.getByRole('button', { name: 'Copy' }).first().click()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('await fetch(')
    await page.screenshot({ path: screenshotPath('docs-signed-out-1280') })
    await page.goto(`${baseUrl}/docs#send-text`)
    await page.screenshot({ path: screenshotPath('docs-endpoint-1280') })
    await context.close()
  })

  it('reads at phone width without sideways scrolling', async () => {
    const { context, page } = await openDocs({ viewport: PHONE, phone: true })
    await noHorizontalScroll(page)
    await page.screenshot({ path: screenshotPath('docs-signed-out-390') })
    await page.getByText('On this page').click()
    await page.screenshot({ path: screenshotPath('docs-toc-390') })
    await page.goto(`${baseUrl}/docs#send-contact`)
    await noHorizontalScroll(page)
    await page.screenshot({ path: screenshotPath('docs-endpoint-390') })
    await context.close()
  })
})

describe('signed in', () => {
  const email = 'docs-reader@example.com'
  let key: string

  it('fills the visitor’s own instance names and key prefix into the examples', async () => {
    const user = await createUser({ email, password: PASSWORD, verified: true })
    for (const name of ['shop-eu', 'shop-us']) await sql`insert into instances (user_id, name) values (${user.id}, ${name})`
    key = mintKey(stack, email)
    const { context, page } = await openDocs({ viewport: DESKTOP, email })
    expect(await curlOf(page, 'send-text')).toContain(`/api/v1/instance/shop-eu/message/sendText`)
    expect(await curlOf(page, 'send-text')).toContain(`Bearer ${key.slice(0, 13)}…`)
    expect(await curlOf(page, 'send-text')).not.toContain(key)
    await expect.poll(() => page.getByText(email).isVisible()).toBe(true)

    await page.getByRole('combobox').selectOption('shop-us')
    await page.waitForURL(/instance=shop-us/)
    await expect.poll(() => curlOf(page, 'connection-state')).toContain('/api/v1/instance/shop-us/connectionState')
    await page.screenshot({ path: screenshotPath('docs-signed-in-1280') })
    await context.close()
  })

  it('Try it sends a real request with the pasted key, shows status, headers and body, and stores the key nowhere', async () => {
    const { context, page } = await openDocs({ viewport: DESKTOP, email })
    const requests: { url: string; authorization?: string }[] = []
    page.on('request', (request) => requests.push({ url: request.url(), authorization: request.headers().authorization }))
    const section = page.locator('section#connection-state')
    await section.locator('summary', { hasText: 'Try it' }).click()
    const panel = section.getByTestId('try-it-connection-state')
    await panel.getByLabel('API key').fill(key)
    await panel.getByRole('button', { name: 'Send request' }).click()
    await expect.poll(() => panel.getByTestId('try-it-status').textContent()).toMatch(/^200/)
    const body = JSON.parse((await panel.getByLabel('Response body').textContent()) ?? '')
    expect(body).toEqual({ instance: { instanceName: 'shop-eu', state: 'close' } })
    await panel.getByText(/Response headers/).click()
    expect(await panel.locator('dl').textContent()).toContain('x-ratelimit-remaining')

    // The key went only into that one request, to this server.
    const withKey = requests.filter((request) => JSON.stringify(request).includes(key))
    expect(withKey).toEqual([{ url: `${baseUrl}/api/v1/instance/shop-eu/connectionState`, authorization: `Bearer ${key}` }])
    const stored = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie }))
    expect(stored).not.toContain(key)
    expect(JSON.stringify(await context.cookies())).not.toContain(key)
    expect(JSON.stringify(await context.storageState())).not.toContain(key)

    // Another panel shares the key while the page is open; a wrong body shows the API's error.
    const send = page.locator('section#send-text')
    await send.locator('summary', { hasText: 'Try it' }).click()
    const sendPanel = send.getByTestId('try-it-send-text')
    expect(await sendPanel.getByLabel('API key').inputValue()).toBe(key)
    await sendPanel.getByLabel('Body (JSON)').fill('{"number": "12", "text": ""}')
    await sendPanel.getByRole('button', { name: 'Send request' }).click()
    await expect.poll(() => sendPanel.getByTestId('try-it-status').textContent()).toMatch(/^400/)
    expect(await sendPanel.getByLabel('Response body').textContent()).toContain('invalid_request')
    await section.scrollIntoViewIfNeeded()
    await page.screenshot({ path: screenshotPath('docs-try-it-1280') })

    await page.reload()
    await page.locator('section#connection-state').locator('summary', { hasText: 'Try it' }).click()
    expect(await page.getByTestId('try-it-connection-state').getByLabel('API key').inputValue()).toBe('')
    await context.close()
  })

  it('Try it at phone width', async () => {
    const { context, page } = await openDocs({ viewport: PHONE, phone: true, email, path: '/docs#connection-state' })
    const section = page.locator('section#connection-state')
    await section.locator('summary', { hasText: 'Try it' }).click()
    const panel = section.getByTestId('try-it-connection-state')
    await panel.getByLabel('API key').fill(key)
    await panel.getByRole('button', { name: 'Send request' }).click()
    await expect.poll(() => panel.getByTestId('try-it-status').textContent()).toMatch(/^200/)
    await noHorizontalScroll(page)
    await panel.scrollIntoViewIfNeeded()
    await page.screenshot({ path: screenshotPath('docs-try-it-390') })
    await context.close()
  })
})
