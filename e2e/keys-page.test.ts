// The API keys page in a real browser against the real stack: mint with Advanced options, read the
// plaintext once, use it on the API, edit its limit, revoke it; refusals next to their fields; an
// unverified account cannot mint. Screenshots at 1280 and 390 wide.
import { afterAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import postgres from 'postgres'
import { useTestDatabase } from './support/database'
import { eventually } from '@/test-support/eventually'
import { startStack } from './support/stack'
import { launchBrowser, screenshotPath } from './support/browser'
import { logIn, see, submit } from './support/accounts'

const database = await useTestDatabase()
const stack = await startStack({ databaseUrl: database.url, workers: 0 })
const browser = await launchBrowser()
const { createUser } = await import('@/lib/services/accounts/users')
const { baseUrl } = stack

const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }
const PASSWORD = 'keys page passphrase'
const KEY_PATTERN = /^sage_[1-9A-HJ-NP-Za-km-z]{30,34}$/

const sql = postgres(database.url, { max: 1, onnotice: () => {} })
afterAll(() => sql.end({ timeout: 5 }))

/** An account (verified unless told otherwise) with the given instances, and a logged-in page on /keys. */
async function signedIn(email: string, options: { viewport?: typeof DESKTOP; verified?: boolean; instances?: string[]; phone?: boolean } = {}) {
  const user = await createUser({ email, password: PASSWORD, verified: options.verified ?? true })
  for (const name of options.instances ?? []) await sql`insert into instances (user_id, name) values (${user.id}, ${name})`
  const context = await browser.newContext({
    viewport: options.viewport ?? DESKTOP,
    permissions: ['clipboard-read', 'clipboard-write'],
    ...(options.phone ? { isMobile: true, hasTouch: true } : {}),
  })
  context.setDefaultTimeout(10_000)
  const page = await context.newPage()
  await logIn(page, baseUrl, email, PASSWORD)
  await page.goto(`${baseUrl}/keys`)
  return { user, context, page }
}

async function keyCount(userId: string): Promise<number> {
  const [row] = await sql`select count(*)::int as n from api_keys where user_id = ${userId}`
  return row.n
}

function connectionState(instance: string, key: string) {
  return fetch(`${baseUrl}/api/v1/instance/${instance}/connectionState`, { headers: { authorization: `Bearer ${key}` } })
}

/** The field's error text, found through its aria-describedby (so the wiring is what is tested). */
async function describedError(page: Page, field: Locator): Promise<string> {
  await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true')
  const ids = (await field.getAttribute('aria-describedby'))?.split(' ') ?? []
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()))
  return texts.join(' ')
}

function dialog(page: Page, name: string | RegExp) {
  return page.getByRole('dialog', { name })
}

async function openCreateDialog(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Create API key' }).first().click()
  const create = dialog(page, 'Create API key')
  await create.waitFor()
  return create
}

describe('the API keys page', () => {
  it('mints a key with Advanced options, shows it once, and edit and revoke take effect on the API', async () => {
    const { user, context, page } = await signedIn('keys-owner@example.com', { instances: ['acme-prod', 'acme-staging'] })

    // Empty state: what keys are for, and the way to make one.
    await page.getByRole('heading', { name: 'No API keys yet' }).waitFor()
    await see(page, 'Your servers send an API key with every request')
    await page.screenshot({ path: screenshotPath('keys-empty-desktop'), fullPage: true })

    // The dialog is a keyboard citizen: Escape closes it and focus goes back to the button.
    let create = await openCreateDialog(page)
    await page.keyboard.press('Escape')
    await create.waitFor({ state: 'detached' })
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Create API key')

    // Bad input: each refused field says why, Advanced opens by itself, nothing is created.
    create = await openCreateDialog(page)
    await create.getByLabel('Name').fill('CI server')
    const advanced = create.getByRole('button', { name: /Advanced/ })
    await expect(advanced.getAttribute('aria-expanded')).resolves.toBe('false')
    await advanced.click()
    await expect(create.getByLabel('Rate limit').inputValue()).resolves.toBe('60')
    await create.getByLabel('Rate limit').fill('0')
    await create.getByLabel('IP allowlist (CIDR)').fill('10.0.0.0/99, 127.0.0.0/8')
    await advanced.click() // collapse again: the refusal must re-open it
    await submit(page, 'Create key')
    await expect(describedError(page, create.getByLabel('Rate limit'))).resolves.toContain('At least 1 request per minute')
    await expect(describedError(page, create.getByLabel('IP allowlist (CIDR)'))).resolves.toContain('"10.0.0.0/99" is not an IPv4 or IPv6 CIDR')
    await expect(advanced.getAttribute('aria-expanded')).resolves.toBe('true')
    await expect(create.getByLabel('Name').inputValue()).resolves.toBe('CI server') // refilled, not lost
    expect(await keyCount(user.id)).toBe(0)

    // Good input: 5 a minute, pinned to acme-prod, from 127.0.0.0/8 only.
    await create.getByLabel('Rate limit').fill('5')
    await expect(create.getByLabel('Rate limit').getAttribute('aria-invalid')).resolves.toBeNull() // changed: no longer flagged
    await create.getByLabel('IP allowlist (CIDR)').fill('127.0.0.0/8')
    await create.getByLabel('acme-prod').check()
    await page.screenshot({ path: screenshotPath('keys-create-advanced-desktop') })
    await submit(page, 'Create key')

    // The plaintext, once, with the warning, a copy button and a curl example.
    const secret = dialog(page, 'Your new API key')
    await secret.waitFor()
    await secret.getByText('You will not see this key again.').waitFor()
    const plaintext = ((await secret.getByRole('textbox', { name: 'API key', exact: true }).textContent()) ?? '').trim()
    expect(plaintext).toMatch(KEY_PATTERN)
    await secret.getByRole('button', { name: 'Copy' }).first().click()
    await secret.getByText('Copied').waitFor()
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(plaintext)
    const curl = (await secret.getByLabel('curl example').textContent()) ?? ''
    expect(curl).toContain(`${baseUrl}/api/v1/instance/acme-prod/connectionState`)
    expect(curl).toContain(`Authorization: Bearer ${plaintext}`)
    await page.screenshot({ path: screenshotPath('keys-plaintext-desktop') })

    // Only its hash and display prefix are stored.
    const [stored] = await sql`select * from api_keys where user_id = ${user.id}`
    expect(JSON.stringify(stored)).not.toContain(plaintext)
    expect(stored.rate_limit).toBe(5)
    expect(stored.cidrs).toEqual(['127.0.0.0/8'])

    // The copied key works on the real API, with its own limit, and only on its pinned instance.
    const ok = await connectionState('acme-prod', plaintext)
    expect(ok.status).toBe(200)
    expect(ok.headers.get('x-ratelimit-limit')).toBe('5')
    expect((await ok.json()).instance.instanceName).toBe('acme-prod')
    const pinned = await connectionState('acme-staging', plaintext)
    expect(pinned.status).toBe(403)
    expect((await pinned.json()).error).toBe('instance_not_allowed')

    // Closing the dialog drops the plaintext from the page; a reload does not bring it back.
    await secret.getByRole('button', { name: /^Done/ }).click()
    await secret.waitFor({ state: 'detached' })
    expect(await page.content()).not.toContain(plaintext)
    await page.reload()
    const row = page.getByRole('row').filter({ hasText: 'CI server' })
    await row.waitFor()
    expect(await page.content()).not.toContain(plaintext)
    const rowText = (await row.textContent()) ?? ''
    expect(rowText).toContain(`${plaintext.slice(0, 13)}…`)
    expect(rowText).toContain('5 / min')
    expect(rowText).toContain('acme-prod')
    expect(rowText).not.toContain('acme-staging')
    expect(rowText).toContain('127.0.0.0/8')
    expect(rowText).toMatch(/Never|Just now/)
    // "Last used" is written in batches (every 10 s), then shows.
    const lastUsedAt = await eventually(async () => {
      const [key] = await sql`select last_used_at from api_keys where user_id = ${user.id}`
      return key.last_used_at ?? undefined
    }, 25_000, 500)
    expect(Date.now() - new Date(lastUsedAt).getTime()).toBeLessThan(60_000)
    await page.reload()
    await row.getByText('Just now').waitFor()
    await page.screenshot({ path: screenshotPath('keys-list-desktop'), fullPage: true })

    // Edit: a bad limit is refused next to the field; 7 is saved and the API answers with it.
    await page.getByRole('button', { name: 'Edit CI server' }).click()
    const edit = dialog(page, 'Edit “CI server”')
    await edit.waitFor()
    await expect(edit.getByLabel('Rate limit').inputValue()).resolves.toBe('5')
    await expect(edit.getByLabel('acme-prod').isChecked()).resolves.toBe(true)
    await edit.getByLabel('Rate limit').fill('0')
    await submit(page, 'Save changes')
    await expect(describedError(page, edit.getByLabel('Rate limit'))).resolves.toContain('At least 1 request per minute')
    await page.screenshot({ path: screenshotPath('keys-edit-desktop') })
    await edit.getByLabel('Rate limit').fill('7')
    await submit(page, 'Save changes')
    await edit.waitFor({ state: 'detached' })
    await see(page, 'Saved changes to “CI server”.')
    await row.getByText('7 / min').waitFor()
    const editedAt = Date.now()
    await eventually(async () => {
      const response = await connectionState('acme-prod', plaintext)
      return response.headers.get('x-ratelimit-limit') === '7' || undefined
    }, 2_000, 50)
    expect(Date.now() - editedAt).toBeLessThan(1_500)

    // Revoke: the dialog names the key; afterwards the API refuses it.
    await page.getByRole('button', { name: 'Revoke CI server' }).click()
    const revoke = dialog(page, 'Revoke “CI server”?')
    await revoke.waitFor()
    expect(await revoke.textContent()).toContain(`${plaintext.slice(0, 13)}…`)
    await page.screenshot({ path: screenshotPath('keys-revoke-desktop') })
    await submit(page, 'Revoke key')
    await revoke.waitFor({ state: 'detached' })
    await see(page, 'Revoked “CI server”.')
    await page.getByRole('heading', { name: 'No API keys yet' }).waitFor()
    const revokedAt = Date.now()
    await eventually(async () => ((await connectionState('acme-prod', plaintext)).status === 401 ? true : undefined), 2_000, 50)
    expect(Date.now() - revokedAt).toBeLessThan(1_500)
    const gone = await connectionState('acme-prod', plaintext)
    expect((await gone.json()).error).toBe('unauthorized')

    // The revoked key is listed apart, collapsed.
    await page.getByText('Revoked keys').click()
    await page.getByRole('listitem').filter({ hasText: 'CI server' }).getByText(/^Revoked /).waitFor()
    await context.close()
   }, 90_000)

  it('mints an account key through the scope choice (a labelled radio group, instance by default), which may manage instances', async () => {
    const { user, context, page } = await signedIn('keys-scope@example.com', { instances: ['scope-prod'] })
    const create = await openCreateDialog(page)
    const scope = create.getByRole('group', { name: 'Scope' })
    await expect(scope.getByRole('radio', { name: /Instance key/ }).isChecked()).resolves.toBe(true)
    await create.getByLabel('Name').fill('Provisioning')
    await scope.getByRole('radio', { name: /Instance key/ }).focus()
    await page.keyboard.press('ArrowRight') // a native radio group: the arrow keys choose
    await expect(scope.getByRole('radio', { name: /Account key/ }).isChecked()).resolves.toBe(true)
    await submit(page, 'Create key')
    const secret = dialog(page, 'Your new API key')
    await secret.getByText('Account key').waitFor()
    const plaintext = ((await secret.getByRole('textbox', { name: 'API key', exact: true }).textContent()) ?? '').trim()
    const [stored] = await sql`select scope from api_keys where user_id = ${user.id}`
    expect(stored.scope).toBe('account')
    const instances = await fetch(`${baseUrl}/api/v1/instances`, { headers: { authorization: `Bearer ${plaintext}` } })
    expect(instances.status).toBe(200)
    expect((await instances.json()).instances.map((instance: { name: string }) => instance.name)).toEqual(['scope-prod'])
    await secret.getByRole('button', { name: /Done/ }).click()
    await page.getByRole('row', { name: /Provisioning/ }).getByText('Account key').waitFor()
    await context.close()
  })

  it('at phone width: cards instead of a table, and the dialogs fit', async () => {
    const { context, page } = await signedIn('keys-phone@example.com', { viewport: PHONE, phone: true, instances: ['shop-eu', 'shop-us'] })
    await page.getByRole('heading', { name: 'No API keys yet' }).waitFor()
    await page.screenshot({ path: screenshotPath('keys-empty-phone'), fullPage: true })

    const create = await openCreateDialog(page)
    await create.getByLabel('Name').fill('Checkout service (prod)')
    await create.getByRole('button', { name: /Advanced/ }).click()
    await create.getByLabel('Rate limit').fill('120')
    await create.getByLabel('shop-eu').check()
    await create.getByLabel('IP allowlist (CIDR)').fill('203.0.113.0/24\n2001:db8::/32')
    await page.screenshot({ path: screenshotPath('keys-create-advanced-phone') })
    await submit(page, 'Create key')
    const secret = dialog(page, 'Your new API key')
    await secret.waitFor()
    expect((await secret.getByRole('textbox', { name: 'API key', exact: true }).textContent())?.trim()).toMatch(KEY_PATTERN)
    await page.screenshot({ path: screenshotPath('keys-plaintext-phone') })
    await secret.getByRole('button', { name: /^Done/ }).click()

    const second = await openCreateDialog(page)
    await second.getByLabel('Name').fill('Support inbox')
    await submit(page, 'Create key')
    await dialog(page, 'Your new API key').getByRole('button', { name: /^Done/ }).click()

    await page.getByRole('row').filter({ hasText: 'Support inbox' }).getByText('All instances').waitFor()
    const card = page.getByRole('row').filter({ hasText: 'Checkout service (prod)' })
    expect(await card.textContent()).toContain('2001:db8::/32')
    // No sideways scrolling at 390 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)
    await page.screenshot({ path: screenshotPath('keys-list-phone'), fullPage: true })
    await context.close()
  })

  it('an unverified account is told why and the create button is disabled', async () => {
    const { user, context, page } = await signedIn('keys-unverified@example.com', { verified: false })
    await page.getByRole('heading', { name: 'No API keys yet' }).waitFor()
    await see(page, 'Verify your email address to create API keys.')
    const button = page.getByRole('button', { name: 'Create API key' })
    await expect(button.isDisabled()).resolves.toBe(true)
    await page.screenshot({ path: screenshotPath('keys-unverified-desktop'), fullPage: true })

    expect(await keyCount(user.id)).toBe(0)
    await context.close()
  })

  it('the server refuses too: an account that is no longer verified when it submits gets told why', async () => {
    const { user, context, page } = await signedIn('keys-unverified-later@example.com')
    const create = await openCreateDialog(page)
    await create.getByLabel('Name').fill('Sneaky key')
    await sql`update users set email_verified_at = null where id = ${user.id}`
    await submit(page, 'Create key')
    await create.getByRole('alert').getByText('Verify your email address before creating API keys.').waitFor()
    await page.screenshot({ path: screenshotPath('keys-create-refused-desktop') })
    expect(await keyCount(user.id)).toBe(0)
    await context.close()
  })
})
