// Webhook debugging in a real browser against the real stack, with the dispatcher (the worker's code)
// in this process delivering to a real receiver: an endpoint's own page lists its deliveries
// (filter by status, event and instance; paging); a delivery shows the request exactly as sent
// (headers with the signature, the raw body) and each attempt's status, first 2 KB and timing;
// the endpoint's URL, events and instance filter are edited there, and a new URL is offered a
// test event whose result is shown. Screenshots at 1280 and 390 wide, light and dark.
import { afterAll, describe, expect, it, vi } from 'vitest'
import type { Page } from 'playwright-core'
import postgres from 'postgres'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'
import { launchBrowser, screenshotPath } from './support/browser'
import { logIn, see } from './support/accounts'
import { startReceiver } from './support/webhook-receiver'
import { dispatchWebhooksInThisProcess } from './support/dispatcher-in-process'
import { verifiesInNode } from '@/test-support/sage-verify'

vi.setConfig({ testTimeout: 180_000 })

const database = await useTestDatabase()
const stack = await startStack({ databaseUrl: database.url, workers: 0, env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } })
process.env.SAGE_ENCRYPTION_KEY = stack.env.SAGE_ENCRYPTION_KEY
process.env.WEBHOOK_ALLOW_PRIVATE_URLS = 'true'
const browser = await launchBrowser()
const { createUser } = await import('@/lib/services/accounts/users')
const { createWebhookEndpoint } = await import('@/lib/services/webhooks/endpoints')
const { sendTestEvent } = await import('@/lib/services/webhooks/deliveries')
dispatchWebhooksInThisProcess()
const { baseUrl } = stack
const sql = postgres(database.url, { max: 1, onnotice: () => {} })
afterAll(() => sql.end({ timeout: 5 }))

const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }
const PASSWORD = 'webhook debugging passphrase'
const LONG_ERROR = `{"error":"${'x'.repeat(3000)}"}`

// The first delivery is refused with a long body on every attempt (its excerpt must stop at 2 KB); the rest succeed.
let refusedDelivery: unknown
const receiver = await startReceiver((request, index) => {
  if (index === 0) refusedDelivery = request.headers['x-sage-delivery']
  return request.headers['x-sage-delivery'] === refusedDelivery ? { status: 500, body: LONG_ERROR } : { status: 200, body: '{"received":true}' }
})
/** expect.poll with room for a loaded machine (server actions and navigations can take seconds). */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 })

const consoleErrors: string[] = []

const user = await createUser({ email: 'hooks-debug@example.com', password: PASSWORD, verified: true })
await sql`insert into instances (user_id, name) values (${user.id}, 'acme-prod'), (${user.id}, 'acme-staging')`
const endpoint = await createWebhookEndpoint({ ctx: { userId: user.id }, input: { url: receiver.url, events: ['MESSAGES_UPSERT'] } })

async function pageFor(dark: boolean): Promise<Page> {
  const context = await browser.newContext({ viewport: DESKTOP, colorScheme: dark ? 'dark' : 'light' })
  context.setDefaultTimeout(30_000)
  const page = await context.newPage()
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(`${page.url()}: ${message.text()}`))
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`))
  await logIn(page, baseUrl, 'hooks-debug@example.com', PASSWORD)
  return page
}

async function screenshots(page: Page, name: string) {
  await page.setViewportSize(DESKTOP)
  await page.screenshot({ path: screenshotPath(`${name}-desktop`), fullPage: true })
  await page.setViewportSize(PHONE)
  await page.screenshot({ path: screenshotPath(`${name}-phone`), fullPage: true })
  await page.setViewportSize(DESKTOP)
}

describe('an endpoint’s own page', () => {
  it('shows a delivery’s exact request and each attempt’s answer', async () => {
    // Two test events: the first is refused (500, long body), the second succeeds.
    const refused = await sendTestEvent({ ctx: { userId: user.id }, endpointId: endpoint.id })
    await receiver.waitFor(1)
    const ok = await sendTestEvent({ ctx: { userId: user.id }, endpointId: endpoint.id })
    const [first, second] = await receiver.waitFor(2)
    expect(verifiesInNode(second, endpoint.secret)).toBe(true)

    const page = await pageFor(false)
    await page.goto(`${baseUrl}/webhooks`)
    await page.getByRole('link', { name: 'All deliveries and settings →' }).click()
    await page.waitForURL(`${baseUrl}/webhooks/${endpoint.id}`)
    const deliveries = page.getByTestId('delivery')
    await poll(() => deliveries.count()).toBe(2)

    await page.goto(`${baseUrl}/webhooks/${endpoint.id}/deliveries/${ok.id}`)
    const attempt = page.getByTestId('attempt')
    await attempt.getByTestId('attempt-status').getByText('HTTP 200').waitFor()
    const request = (await page.getByLabel('Attempt 1 request').textContent()) ?? ''
    // The request as the receiver got it: signature, timestamp and delivery id, and the raw body.
    expect(request).toContain(`POST ${receiver.url}`)
    expect(request).toContain(`X-Sage-Signature: ${second.headers['x-sage-signature']}`)
    expect(request).toContain(`X-Sage-Timestamp: ${second.headers['x-sage-timestamp']}`)
    expect(request).toContain(`X-Sage-Delivery: ${ok.id}`)
    expect(request.endsWith(second.rawBody)).toBe(true)
    expect(await page.getByLabel('Attempt 1 response').textContent()).toBe('{"received":true}')
    await attempt.getByText(/^\d+ ms$/).waitFor()
    await screenshots(page, 'hooks-delivery-ok')

    // The refused one: HTTP 500, its body cut at 2 KB.
    await page.goto(`${baseUrl}/webhooks/${endpoint.id}/deliveries/${refused.id}`)
    await page.getByTestId('attempt-status').first().getByText('HTTP 500').waitFor()
    const excerpt = (await page.getByLabel(/Attempt \d+ response/).first().textContent()) ?? ''
    expect(excerpt).toBe(LONG_ERROR.slice(0, 2048))
    expect((await page.getByLabel(/Attempt \d+ request/).last().textContent())?.endsWith(first.rawBody)).toBe(true)
    await screenshots(page, 'hooks-delivery-failed')
    await page.emulateMedia({ colorScheme: 'dark' })
    await screenshots(page, 'hooks-delivery-failed-dark')
  })

  it('filters by status, event and instance, a page at a time', async () => {
    // 30 more deliveries straight into the log (no jobs: they are never sent), alternating instances.
    for (let index = 0; index < 30; index++) {
      const instance = index % 2 ? 'acme-staging' : 'acme-prod'
      await sql`
        insert into webhook_deliveries (endpoint_id, user_id, test_event, status, attempts)
        values (${endpoint.id}, ${user.id}, ${sql.json({ event: 'WEBHOOK_TEST', instance, data: { index }, id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, timestamp: new Date().toISOString() })}, 'failed', 1)`
    }
    const page = await pageFor(false)
    await page.goto(`${baseUrl}/webhooks/${endpoint.id}`)
    const deliveries = page.getByTestId('delivery')
    await poll(() => deliveries.count()).toBe(25)
    await page.getByRole('link', { name: 'Older →' }).click()
    await page.waitForURL(/before=\d+/)
    await poll(() => deliveries.count()).toBe(7) // 32 in all
    await page.getByRole('link', { name: '← Newest' }).click()
    await page.waitForURL(`${baseUrl}/webhooks/${endpoint.id}`)
    await poll(() => deliveries.count()).toBe(25)

    const filters = page.getByRole('form', { name: 'Filter deliveries' })
    await filters.getByLabel('Status').selectOption('succeeded')
    await filters.getByRole('button', { name: 'Filter' }).click()
    await page.waitForURL(/status=succeeded/)
    await poll(() => deliveries.count()).toBe(1)
    await filters.getByLabel('Status').selectOption('failed')
    await filters.getByLabel('Instance').selectOption('acme-staging')
    await filters.getByRole('button', { name: 'Filter' }).click()
    await page.waitForURL(/instance=acme-staging/)
    await poll(() => deliveries.count()).toBe(15)
    await filters.getByLabel('Event').selectOption('MESSAGES_UPSERT')
    await filters.getByRole('button', { name: 'Filter' }).click()
    await see(page, 'No delivery matches these filters.')
    await page.getByRole('link', { name: 'Clear' }).click()
    await page.waitForURL(`${baseUrl}/webhooks/${endpoint.id}`)
    await poll(() => deliveries.count()).toBe(25)
  })

  for (const dark of [false, true]) {
    it(`edits URL, events and instance, and tries a new URL with a test event (${dark ? 'dark' : 'light'})`, async () => {
      const other = await startReceiver(() => ({ status: 204 }))
      const page = await pageFor(dark)
      await page.goto(`${baseUrl}/webhooks/${endpoint.id}`)
      const form = page.getByRole('form', { name: 'Edit endpoint' })
      // A URL the guard refuses is explained next to the field, and nothing changes.
      await form.getByLabel('Endpoint URL').fill('ftp://example.com/hooks')
      await form.getByRole('button', { name: 'Save changes' }).click()
      await poll(() => form.getByLabel('Endpoint URL').getAttribute('aria-invalid')).toBe('true')
      expect((await sql`select url from webhook_endpoints where id = ${endpoint.id}`)[0].url).not.toBe('ftp://example.com/hooks')

      await form.getByLabel('Endpoint URL').fill(other.url)
      await form.getByLabel(/CONNECTION_UPDATE/).check()
      await form.getByLabel('Instance', { exact: true }).selectOption('acme-prod')
      await form.getByRole('button', { name: 'Save changes' }).click()
      await form.getByText('New URL saved. Send it a test event to check it answers?').waitFor()
      const [row] = await sql`select url, events, instance_id from webhook_endpoints where id = ${endpoint.id}`
      expect(row.url).toBe(other.url)
      expect(row.events).toEqual(expect.arrayContaining(['MESSAGES_UPSERT', 'CONNECTION_UPDATE']))
      expect(row.instance_id).not.toBeNull()

      await form.getByRole('button', { name: 'Send test event' }).click()
      const [test] = await other.waitFor(1)
      expect(JSON.parse(test.rawBody)).toMatchObject({ event: 'WEBHOOK_TEST', instance: 'acme-prod' })
      await form.getByText(/Your endpoint answered HTTP 204 in \d+ ms/).waitFor()
      await screenshots(page, `hooks-edit-${dark ? 'dark' : 'light'}`)

      // Back for the next round: the first receiver, every event again.
      await form.getByLabel('Endpoint URL').fill(receiver.url)
      await form.getByLabel(/CONNECTION_UPDATE/).uncheck()
      await form.getByLabel('Instance', { exact: true }).selectOption('')
      await form.getByRole('button', { name: 'Save changes' }).click()
      await form.getByText('New URL saved. Send it a test event to check it answers?').waitFor()
    })
  }

  it('showed no console errors', () => {
    expect(consoleErrors).toEqual([])
  })
})
