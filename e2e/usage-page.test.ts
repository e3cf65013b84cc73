// The Usage page after a scripted burst, in a real browser against the real stack: calls with a key
// limited to 5 a minute (5 answered, the rest 429) are counted by the web process and flushed within
// seconds; messages (rows as the worker writes them) and webhook deliveries are counted from their
// own tables. The charts' totals must be those numbers, on /usage, on the key's page and on the
// instance's page. Screenshots at 1280 and 390, light and dark.
import { afterAll, describe, expect, it, vi } from 'vitest'
import postgres from 'postgres'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'
import { launchBrowser, screenshotPath } from './support/browser'
import { logIn } from './support/accounts'

vi.setConfig({ testTimeout: 180_000 })

const database = await useTestDatabase()
const stack = await startStack({ databaseUrl: database.url, workers: 0 })
const browser = await launchBrowser()
const { createUser } = await import('@/lib/services/accounts/users')
const { createApiKey } = await import('@/lib/services/keys/keys')
const { baseUrl } = stack
const sql = postgres(database.url, { max: 1, onnotice: () => {} })
afterAll(() => sql.end({ timeout: 5 }))

const PASSWORD = 'usage page passphrase'
const DESKTOP = { width: 1280, height: 900 }
const PHONE = { width: 390, height: 844 }

describe('the Usage page', () => {
  it('shows a burst’s requests, 429s, messages and webhook success rate', async () => {
    const user = await createUser({ email: 'usage@example.com', password: PASSWORD, verified: true })
    const [instance] = await sql`insert into instances (user_id, name) values (${user.id}, 'usage-shop') returning id`
    const { plaintext } = await createApiKey({ userId: user.id }, { name: 'burst', rateLimit: 5 })

    // The burst: 8 calls, 5 within the limit, 3 refused with 429.
    const statuses: number[] = []
    for (let index = 0; index < 8; index++) {
      const answer = await fetch(`${baseUrl}/api/v1/instance/usage-shop/connectionState`, { headers: { authorization: `Bearer ${plaintext}` } })
      statuses.push(answer.status)
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(5)
    expect(statuses.filter((status) => status === 429)).toHaveLength(3)

    // Sends as the worker records them: 4 sent, 1 failed; 2 received. Deliveries: 3 succeeded, 1 failed.
    const message = (index: number, fromMe: boolean, status: string) => sql`
      insert into messages (instance_id, user_id, wa_id, remote_jid, from_me, message_type, message, message_timestamp, status, via_api)
      values (${instance.id}, ${user.id}, ${`U${index}`}, '919876543210@s.whatsapp.net', ${fromMe}, 'conversation', ${sql.json({ conversation: 'hi' })}, 0, ${status}, ${fromMe})`
    for (let index = 0; index < 4; index++) await message(index, true, 'SERVER_ACK')
    await message(4, true, 'ERROR')
    for (let index = 5; index < 7; index++) await message(index, false, 'DELIVERY_ACK')
    const [endpoint] = await sql`
      insert into webhook_endpoints (user_id, url, events, secret) values (${user.id}, 'https://hooks.example.com/in', '{MESSAGES_UPSERT}', ${Buffer.from('x')}) returning id`
    for (const status of ['succeeded', 'succeeded', 'succeeded', 'failed']) {
      await sql`insert into webhook_deliveries (endpoint_id, user_id, test_event, status, attempts)
        values (${endpoint.id}, ${user.id}, ${sql.json({ event: 'WEBHOOK_TEST', instance: 'usage-shop', data: {}, id: crypto.randomUUID(), timestamp: new Date().toISOString() })}, ${status}, 1)`
    }

    for (const dark of [false, true]) {
      const context = await browser.newContext({ viewport: DESKTOP, colorScheme: dark ? 'dark' : 'light' })
      context.setDefaultTimeout(30_000)
      const page = await context.newPage()
      const errors: string[] = []
      page.on('console', (entry) => entry.type() === 'error' && errors.push(entry.text()))
      await logIn(page, baseUrl, 'usage@example.com', PASSWORD)
      // The web process writes its counts every 10 s: reload until they are in.
      await expect
        .poll(
          async () => {
            await page.goto(`${baseUrl}/usage`)
            return page.getByTestId('total-requests_2xx').textContent()
          },
          { timeout: 60_000, interval: 2_000 },
        )
        .toBe('5')
      expect(await page.getByTestId('total-rate_limited').textContent()).toBe('3')
      expect(await page.getByTestId('total-sent').textContent()).toBe('4')
      expect(await page.getByTestId('total-failed').first().textContent()).toBe('1')
      expect(await page.getByTestId('total-received').textContent()).toBe('2')
      expect(await page.getByTestId('webhook-success-rate').textContent()).toBe('75.0 %')
      for (const viewport of [DESKTOP, PHONE]) {
        await page.setViewportSize(viewport)
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true)
        await page.screenshot({ path: screenshotPath(`usage-${dark ? 'dark' : 'light'}-${viewport === DESKTOP ? 'desktop' : 'phone'}`), fullPage: true })
      }
      expect(errors).toEqual([])
      await context.close()
    }
  })

  it('shows the same burst on the key’s page (refusals included) and on the instance’s page (calls that reached it)', async () => {
    const [key] = await sql`select id from api_keys where name = 'burst'`
    const pages = [
      { path: `/keys/${key.id}`, name: 'key', totals: { 'requests_2xx': '5', 'rate_limited': '3', 'requests_4xx': '0' } },
      // A 429 is answered before the instance is looked up, so the instance counts the 5 answered calls only.
      { path: '/instances/usage-shop', name: 'instance', totals: { 'requests_2xx': '5', 'rate_limited': '0', sent: '4', failed: '1', received: '2' } },
    ]
    for (const dark of [false, true]) {
      const context = await browser.newContext({ viewport: DESKTOP, colorScheme: dark ? 'dark' : 'light' })
      context.setDefaultTimeout(30_000)
      const page = await context.newPage()
      const errors: string[] = []
      page.on('console', (entry) => entry.type() === 'error' && errors.push(entry.text()))
      await logIn(page, baseUrl, 'usage@example.com', PASSWORD)
      await page.goto(`${baseUrl}/keys`)
      await page.getByRole('link', { name: 'burst' }).click()
      await page.waitForURL(`${baseUrl}/keys/${key.id}`)
      for (const target of pages) {
        await page.goto(`${baseUrl}${target.path}`)
        await page.getByRole('figure', { name: /API requests/ }).waitFor()
        for (const [metric, total] of Object.entries(target.totals)) expect(await page.getByTestId(`total-${metric}`).textContent(), `${target.name} ${metric}`).toBe(total)
        for (const viewport of [DESKTOP, PHONE]) {
          await page.setViewportSize(viewport)
          expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true)
          await page.screenshot({ path: screenshotPath(`usage-${target.name}-${dark ? 'dark' : 'light'}-${viewport === DESKTOP ? 'desktop' : 'phone'}`), fullPage: true })
        }
        await page.setViewportSize(DESKTOP)
      }
      expect(errors).toEqual([])
      await context.close()
    }
  })
})
