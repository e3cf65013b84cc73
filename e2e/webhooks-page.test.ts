// The Webhooks page in a real browser against the real stack: add an endpoint, read its secret once,
// send a test event and see it in the log, resend it, rotate the secret (confirmed), disable the
// endpoint (confirmed); server actions refuse a cross-site Origin. Screenshots at 1280 and 390 wide.
import { afterAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import postgres from 'postgres'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'
import { launchBrowser, screenshotPath } from './support/browser'
import { cookieHeader, logIn, see } from './support/accounts'
import { startReceiver } from './support/webhook-receiver'
import { dispatchWebhooksInThisProcess } from './support/dispatcher-in-process'
import { verifiesInNode, verifySageWebhookInPython } from '@/test-support/sage-verify'

const database = await useTestDatabase()
const stack = await startStack({ databaseUrl: database.url, workers: 0, env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } })
// This process runs the dispatcher (the worker's code) against the stack's database and key.
process.env.SAGE_ENCRYPTION_KEY = stack.env.SAGE_ENCRYPTION_KEY
process.env.WEBHOOK_ALLOW_PRIVATE_URLS = 'true'
const browser = await launchBrowser()
const { createUser } = await import('@/lib/services/accounts/users')
dispatchWebhooksInThisProcess()
const { baseUrl } = stack
const sql = postgres(database.url, { max: 1, onnotice: () => {} })
afterAll(() => sql.end({ timeout: 5 }))

const PASSWORD = 'webhooks page passphrase'

async function signedIn(email: string, viewport = { width: 1280, height: 800 }) {
  const user = await createUser({ email, password: PASSWORD, verified: true })
  await sql`insert into instances (user_id, name) values (${user.id}, 'acme-prod'), (${user.id}, 'acme-staging')`
  const context = await browser.newContext({ viewport, permissions: ['clipboard-read', 'clipboard-write'] })
  context.setDefaultTimeout(10_000)
  const page = await context.newPage()
  await logIn(page, baseUrl, email, PASSWORD)
  await page.goto(`${baseUrl}/webhooks`)
  return { user, context, page }
}

async function readSecretDialog(page: Page, title: string | RegExp): Promise<string> {
  const dialog = page.getByRole('dialog', { name: title })
  await dialog.waitFor()
  const secret = (await dialog.getByTestId('webhook-secret').textContent())!.trim()
  expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)
  await dialog.getByRole('button', { name: 'Copy secret' }).click()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret)
  await dialog.getByRole('button', { name: 'Done' }).click()
  await dialog.waitFor({ state: 'detached' })
  return secret
}

describe('the Webhooks page', () => {
  it('adds an endpoint, shows its secret once, sends a test event, resends, rotates and disables', async () => {
    const receiver = await startReceiver()
    const { context, page } = await signedIn('hooks-owner@example.com')

    await page.getByRole('heading', { name: 'No webhook endpoints yet' }).waitFor()
    await page.screenshot({ path: screenshotPath('webhooks-empty-desktop'), fullPage: true })

    // The form: the three common events pre-checked; a refused URL is explained next to the field.
    await page.getByRole('button', { name: 'Add endpoint' }).click()
    const create = page.getByRole('dialog', { name: 'Add a webhook endpoint' })
    await create.waitFor()
    const checked = await create.locator('input[name="events"]:checked').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))
    expect(checked.sort()).toEqual(['CONNECTION_UPDATE', 'MESSAGES_UPSERT', 'SEND_MESSAGE_UPDATE'])
    await create.getByLabel('Endpoint URL').fill('http://93.184.215.14/hooks')
    await create.getByRole('button', { name: 'Add endpoint' }).click()
    await expect.poll(() => create.getByLabel('Endpoint URL').getAttribute('aria-invalid')).toBe('true')
    await see(page, /must use https/)
    await page.screenshot({ path: screenshotPath('webhooks-create-error-desktop') })

    await create.getByLabel('Endpoint URL').fill(receiver.url)
    await create.getByLabel(/QRCODE_UPDATED/).check()
    await create.getByLabel('Instance', { exact: true }).selectOption('acme-prod')
    await create.getByRole('button', { name: 'Add endpoint' }).click()
    const secret = await readSecretDialog(page, /signing secret/)
    const [row] = await sql`select url, events, enabled from webhook_endpoints`
    expect(row).toMatchObject({ url: receiver.url, events: ['MESSAGES_UPSERT', 'SEND_MESSAGE_UPDATE', 'CONNECTION_UPDATE', 'QRCODE_UPDATED'], enabled: true })
    const card = page.getByTestId('endpoint')
    await card.getByText('from acme-prod only').waitFor()
    expect(await card.getByTestId('revealed-secret').textContent()).not.toContain(secret)

    // Test event: delivered, signed with the secret shown, and visible in the log.
    await card.getByRole('button', { name: 'Send test event' }).click()
    const [test] = await receiver.waitFor(1)
    expect(JSON.parse(test.rawBody)).toMatchObject({ event: 'WEBHOOK_TEST', instance: 'acme-prod' })
    expect(verifiesInNode(test, secret)).toBe(true)
    expect(await verifySageWebhookInPython(test.headers, test.rawBody, secret)).toBe(true)
    const delivery = card.getByTestId('delivery').first()
    await expect.poll(() => delivery.getAttribute('data-status'), { timeout: 10_000 }).toBe('succeeded')
    await expect.poll(() => delivery.getByTestId('delivery-response').textContent()).toMatch(/^HTTP 200 · \d+ ms$/)
    await delivery.getByText('WEBHOOK_TEST').waitFor()

    // Resend: the same delivery id again; the log counts the second attempt.
    await delivery.getByRole('button', { name: 'Resend' }).click()
    const [, resent] = await receiver.waitFor(2)
    expect(resent.headers['x-sage-delivery']).toBe(test.headers['x-sage-delivery'])
    await page.reload()
    await page.getByTestId('delivery').first().getByText('2 attempts').waitFor()

    // Reveal and copy the secret from the card.
    await card.getByRole('button', { name: 'Reveal' }).click()
    await expect.poll(() => card.getByTestId('revealed-secret').textContent()).toBe(secret)
    await card.getByRole('button', { name: 'Hide' }).click()

    // Rotate, confirmed: a new secret signs X-Sage-Signature, the old one X-Sage-Signature-Previous.
    await card.getByRole('button', { name: 'Rotate' }).click()
    const confirm = page.getByRole('dialog', { name: 'Rotate the signing secret?' })
    await confirm.waitFor()
    await page.screenshot({ path: screenshotPath('webhooks-rotate-confirm-desktop') })
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    expect((await sql`select previous_secret from webhook_endpoints`)[0].previous_secret).toBeNull()
    await card.getByRole('button', { name: 'Rotate' }).click()
    await page.getByRole('dialog', { name: 'Rotate the signing secret?' }).getByRole('button', { name: 'Rotate secret' }).click()
    const rotated = await readSecretDialog(page, 'New signing secret')
    expect(rotated).not.toBe(secret)
    await card.getByText(/previous secret also signs/).waitFor()
    await card.getByRole('button', { name: 'Send test event' }).click()
    const [, , afterRotation] = await receiver.waitFor(3)
    expect(await verifySageWebhookInPython(afterRotation.headers, afterRotation.rawBody, rotated)).toBe(true)
    expect(await verifySageWebhookInPython({ ...afterRotation.headers, 'x-sage-signature': afterRotation.headers['x-sage-signature-previous'] }, afterRotation.rawBody, secret)).toBe(true)
    await expect.poll(() => page.getByTestId('delivery').first().getAttribute('data-status'), { timeout: 10_000 }).toBe('succeeded')

    await page.screenshot({ path: screenshotPath('webhooks-desktop'), fullPage: true })
    const phone = await context.newPage()
    await phone.setViewportSize({ width: 390, height: 844 })
    await phone.goto(`${baseUrl}/webhooks`)
    await phone.getByTestId('delivery').first().waitFor()
    await phone.screenshot({ path: screenshotPath('webhooks-phone'), fullPage: true })
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)

    // Disable, confirmed: no test events while disabled; enable again.
    await card.getByRole('button', { name: 'Disable' }).click()
    await page.getByRole('dialog', { name: 'Disable this endpoint?' }).getByRole('button', { name: 'Disable endpoint' }).click()
    await card.getByText('Disabled', { exact: true }).waitFor()
    expect(await card.getByRole('button', { name: 'Send test event' }).isDisabled()).toBe(true)
    expect((await sql`select enabled from webhook_endpoints`)[0].enabled).toBe(false)
    await card.getByRole('button', { name: 'Enable' }).click()
    await card.getByText('Enabled', { exact: true }).waitFor()

    // Delete, confirmed: back to the empty state.
    await card.getByRole('button', { name: 'Delete' }).click()
    await page.getByRole('dialog', { name: 'Delete this endpoint?' }).getByRole('button', { name: 'Delete endpoint' }).click()
    await page.getByRole('heading', { name: 'No webhook endpoints yet' }).waitFor()
    expect(await sql`select id from webhook_endpoints`).toHaveLength(0)
    await context.close()
  })

  it('refuses a server action replayed from another origin', async () => {
    const receiver = await startReceiver()
    const { context, page } = await signedIn('hooks-csrf@example.com')
    await page.getByRole('button', { name: 'Add endpoint' }).click()
    await page.getByLabel('Endpoint URL').fill(receiver.url)
    await page.getByRole('dialog', { name: 'Add a webhook endpoint' }).getByRole('button', { name: 'Add endpoint' }).click()
    const secret = await readSecretDialog(page, /signing secret/)

    // Capture the real "Reveal" server action call, then replay it with and without a foreign Origin.
    const captured = page.waitForRequest((request) => request.method() === 'POST' && Boolean(request.headers()['next-action']))
    await page.getByTestId('endpoint').getByRole('button', { name: 'Reveal' }).click()
    const request = await captured
    const headers: Record<string, string> = { ...(await request.allHeaders()), cookie: await cookieHeader(context) }
    for (const name of Object.keys(headers)) if (name.startsWith(':') || name === 'content-length') delete headers[name]
    const replay = (origin: string) =>
      fetch(request.url(), { method: 'POST', headers: { ...headers, origin, host: new URL(baseUrl).host }, body: request.postData() ?? '' })

    const same = await replay(baseUrl)
    expect(await same.text()).toContain(secret) // the replay itself is valid…
    const crossSite = await replay('https://evil.example')
    const body = await crossSite.text()
    expect(body).not.toContain(secret) // …but not from another site
    expect(crossSite.status).toBeGreaterThanOrEqual(400)
    await context.close()
  })
})
