// Browser steps shared by the account tests: the forms as a person fills them, and the dev mailbox.
import { expect } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'

/** Opens the dev mailbox and returns the link of the newest email to `to` whose subject contains `subject`. */
export async function mailboxLink(page: Page, baseUrl: string, to: string, subject: string): Promise<string> {
  await page.goto(`${baseUrl}/dev/mailbox`)
  const email = page.getByRole('article').filter({ hasText: subject }).filter({ hasText: `To ${to}` }).first()
  const href = await email.getByRole('link').first().getAttribute('href')
  if (!href) throw new Error(`no "${subject}" email to ${to} in the dev mailbox`)
  return href
}

/** Clicks a form's submit button and waits for the server action's answer (a POST to the page). */
export async function submit(page: Page, buttonName: string): Promise<void> {
  await Promise.all([
    page.waitForResponse((response) => response.request().method() === 'POST'),
    page.getByRole('button', { name: buttonName }).click(),
  ])
}

/** Waits until `text` (a substring, or a pattern) is on the page (fails after 10 s) and returns the element's full text. */
export async function see(page: Page, text: string | RegExp): Promise<string> {
  const locator = page.getByText(text).first()
  await locator.waitFor({ timeout: 10_000 })
  return (await locator.textContent()) ?? ''
}

/** The message box of the form on the page (not Next's route announcer, which is also role=alert). */
export function formAlert(page: Page) {
  return page.locator('form [role=alert]')
}

export async function signUpThroughForm(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/signup`)
  await page.getByLabel('Work email').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await submit(page, 'Create account')
}

export async function logInThroughForm(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  if (!page.url().startsWith(`${baseUrl}/login`)) await page.goto(`${baseUrl}/login`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await submit(page, 'Log in')
}

/** Logs in and waits for the dashboard. */
export async function logIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await logInThroughForm(page, baseUrl, email, password)
  await page.waitForURL(`${baseUrl}/instances`)
}

export async function logOut(page: Page): Promise<void> {
  const logOutButton = page.getByRole('button', { name: 'Log out' }).filter({ visible: true })
  if ((await logOutButton.count()) === 0) {
    // Phones: the menu button in the top bar; desktop: the account button (the email) in the sidebar.
    const phoneMenu = page.getByRole('button', { name: 'Open menu' })
    if (await phoneMenu.isVisible()) await phoneMenu.click()
    else await page.getByRole('button', { name: /@/ }).click()
  }
  await logOutButton.click()
  await page.waitForURL(/\/login/)
}

/** The session cookie of a browser context as a Cookie header, for API calls outside the browser. */
export async function cookieHeader(context: BrowserContext): Promise<string> {
  const cookies = await context.cookies()
  expect(cookies.some((c) => c.name.includes('authjs.session-token'))).toBe(true)
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ')
}
