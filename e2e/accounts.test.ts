// A new customer's path through the browser: sign up, verify by email, log in, create an instance,
// log out; and forgot password → reset → every other session ends.
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'
import type { Page } from 'playwright-core'
import { launchBrowser, screenshotPath } from './support/browser'
import { formAlert, logIn, logInThroughForm, logOut, mailboxLink, see, signUpThroughForm, submit } from './support/accounts'

const database = await useTestDatabase()
const stack = await startStack({ databaseUrl: database.url, workers: 0 })
const browser = await launchBrowser()
const { baseUrl } = stack

const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }

/** A fresh browser profile (no cookies) whose steps fail after 10 s rather than at the test timeout. */
async function newContext(viewport: typeof DESKTOP, options: { isMobile?: boolean; hasTouch?: boolean } = {}) {
  const context = await browser.newContext({ viewport, ...options })
  context.setDefaultTimeout(10_000)
  return context
}

/** Where every sign-up lands: "Check your email", and no session. Returns the page's text. */
async function checkEmailPage(page: Page): Promise<string> {
  await page.waitForURL(`${baseUrl}/signup/check-email`)
  await page.getByRole('heading', { name: 'Check your email' }).waitFor()
  return page.getByRole('main').innerText()
}

describe('sign up → verify → log in → create an instance → log out', () => {
  it('walks the whole path as a new user would', async () => {
    const context = await newContext(DESKTOP)
    const page = await context.newPage()
    const email = 'ada@example.com'
    const password = 'analytical engine 1843'

    await page.goto(`${baseUrl}/signup`)
    await page.screenshot({ path: screenshotPath('signup-desktop'), fullPage: true })

    // Bad input first: each field says what is wrong.
    await signUpThroughForm(page, baseUrl, 'ada-at-example', 'short')
    await see(page, 'Enter a valid email address, like you@example.com.')
    await see(page, 'Use at least 10 characters.')
    await expect(page.getByLabel('Work email').getAttribute('aria-invalid')).resolves.toBe('true')

    // Sign-up answers "check your email" (the same whether or not the address had an account); then log in.
    await signUpThroughForm(page, baseUrl, email, password)
    await checkEmailPage(page)
    await logIn(page, baseUrl, email, password)
    await see(page, 'Verify your email to get started.')
    await expect(page.getByRole('button', { name: 'Create instance' }).isDisabled()).resolves.toBe(true)
    await page.screenshot({ path: screenshotPath('dashboard-unverified-desktop'), fullPage: true })

    // The resend button answers (and is limited to one email a minute).
    await submit(page, 'Resend email')
    expect(await see(page, /^We just sent one/)).toContain('Give it a minute')

    // A second sign-up with the same address gets the same answer: nothing tells that the address has an account.
    const other = await newContext(DESKTOP)
    const otherPage = await other.newPage()
    await signUpThroughForm(otherPage, baseUrl, 'ADA@example.com', 'some other passphrase')
    await checkEmailPage(otherPage)
    await other.close()

    // Open the verification email and follow its link.
    const verifyLink = await mailboxLink(page, baseUrl, email, 'Verify your email')
    expect(verifyLink).toMatch(new RegExp(`^${baseUrl}/verify-email\\?token=`))
    await page.screenshot({ path: screenshotPath('dev-mailbox-desktop'), fullPage: true })
    await page.getByRole('link', { name: verifyLink }).first().click()
    await page.getByRole('heading', { name: 'Your email is verified' }).waitFor()
    await page.getByRole('link', { name: 'Go to your dashboard' }).click()
    await page.waitForURL(`${baseUrl}/instances`)
    await expect(page.getByText('Verify your email to get started.').count()).resolves.toBe(0)

    // The link works once; a second click says so.
    await page.goto(verifyLink)
    await page.getByRole('heading', { name: 'Your email is already verified' }).waitFor()

    // Log out, then a wrong password (no hint whether the email exists), then the right one.
    await page.goto(`${baseUrl}/instances`)
    await logOut(page)
    await page.goto(`${baseUrl}/instances`)
    await page.waitForURL(/\/login\?next=%2Finstances/)
    await logInThroughForm(page, baseUrl, email, 'not my password at all')
    await see(page, 'Wrong email or password.')
    expect(page.url()).toContain('/login')
    await logInThroughForm(page, baseUrl, 'nobody@example.com', 'not my password at all')
    await see(page, 'Wrong email or password.')
    expect(page.url()).toContain('/login')
    await logIn(page, baseUrl, email, password)

    // The empty state, then a bad name, then a good one, then a duplicate.
    await page.getByRole('heading', { name: 'No instances yet' }).waitFor()
    await page.screenshot({ path: screenshotPath('instances-empty-desktop'), fullPage: true })
    const nameInput = page.getByLabel('Instance name')
    await nameInput.fill('Acme Prod')
    await submit(page, 'Create instance')
    await see(page, 'Use only lowercase letters, digits and dashes.')
    await page.getByLabel('Instance name').fill('acme-prod')
    await submit(page, 'Create instance')
    await see(page, /^Instance acme-prod created/)
    const row = page.getByRole('link', { name: 'acme-prod' })
    await expect(row.getAttribute('href')).resolves.toBe('/instances/acme-prod')
    await page.getByRole('row').filter({ hasText: 'acme-prod' }).getByText('Not paired', { exact: true }).waitFor()
    await page.getByLabel('Instance name').fill('acme-staging')
    await submit(page, 'Create instance')
    await page.getByRole('link', { name: 'acme-staging' }).waitFor()
    await page.getByLabel('Instance name').fill('acme-prod')
    await submit(page, 'Create instance')
    await see(page, 'You already have an instance named "acme-prod".')

    // Still listed after a reload (it is in the database, not just in the page).
    await page.reload()
    await expect(page.getByRole('link', { name: /^acme-/ }).allTextContents()).resolves.toEqual(['acme-prod', 'acme-staging'])
    await page.screenshot({ path: screenshotPath('instances-desktop'), fullPage: true })
    await page.getByRole('button', { name: email }).click()
    await page.screenshot({ path: screenshotPath('account-menu-desktop') })

    await page.getByRole('button', { name: 'Log out' }).click()
    await page.waitForURL(`${baseUrl}/login`)
    await page.goto(`${baseUrl}/instances`)
    await page.waitForURL(/\/login/)

    // A deep link while logged out comes back to where it pointed after logging in.
    await page.goto(`${baseUrl}/instances?sort=name`)
    await page.waitForURL(`${baseUrl}/login?next=${encodeURIComponent('/instances?sort=name')}`)
    await logInThroughForm(page, baseUrl, email, password)
    await page.waitForURL(`${baseUrl}/instances?sort=name`)
    await context.close()
  }, 90_000)

  it('looks right on a phone: sign-up, dashboard with its menu, instance list', async () => {
    const context = await newContext(PHONE, { isMobile: true, hasTouch: true })
    const page = await context.newPage()
    await page.goto(`${baseUrl}/signup`)
    await page.screenshot({ path: screenshotPath('signup-phone'), fullPage: true })
    await signUpThroughForm(page, baseUrl, 'grace@example.com', 'compiler cobol 1959')
    await checkEmailPage(page)
    await page.screenshot({ path: screenshotPath('signup-check-email-phone'), fullPage: true })
    await logIn(page, baseUrl, 'grace@example.com', 'compiler cobol 1959')
    await page.screenshot({ path: screenshotPath('dashboard-unverified-phone'), fullPage: true })

    const verifyLink = await mailboxLink(page, baseUrl, 'grace@example.com', 'Verify your email')
    await page.goto(verifyLink)
    await page.getByRole('link', { name: 'Go to your dashboard' }).click()
    await page.waitForURL(`${baseUrl}/instances`)
    for (const name of ['grace-support', 'grace-sales-eu']) {
      await page.getByLabel('Instance name').fill(name)
      await submit(page, 'Create instance')
      await page.getByRole('link', { name }).waitFor()
    }
    await page.screenshot({ path: screenshotPath('instances-phone'), fullPage: true })

    await page.getByRole('button', { name: 'Open menu' }).click()
    const menu = page.locator('#phone-menu')
    await expect(menu.getByRole('link').allTextContents()).resolves.toEqual(['Instances', 'API keys', 'Webhooks', 'Usage', 'Settings', 'Docs'])
    await expect(menu.getByRole('link', { name: 'API keys' }).getAttribute('href')).resolves.toBe('/keys')
    await page.screenshot({ path: screenshotPath('dashboard-menu-phone') })
    await logOut(page)
    await context.close()
  })
})

describe('forgot password → reset → log in with the new password', () => {
  it('resets, refuses the old password, ends the other session, and the link works once', { timeout: 90_000 }, async () => {
    const email = 'lin@example.com'
    const oldPassword = 'first passphrase 2024'
    const newPassword = 'second passphrase 2025'
    const setup = await newContext(DESKTOP)
    const setupPage = await setup.newPage()
    await signUpThroughForm(setupPage, baseUrl, email, oldPassword)
    await checkEmailPage(setupPage)
    await setup.close()

    // Two sessions of the same user: "laptop" and "phone".
    const laptop = await newContext(DESKTOP)
    const phone = await newContext(PHONE)
    const laptopPage = await laptop.newPage()
    const phonePage = await phone.newPage()
    await logIn(laptopPage, baseUrl, email, oldPassword)
    await logIn(phonePage, baseUrl, email, oldPassword)

    // The unknown email gets the very same answer as the real one.
    const page = await (await newContext(DESKTOP)).newPage()
    await page.goto(`${baseUrl}/login`)
    await page.getByRole('link', { name: 'Forgot password?' }).click()
    await page.waitForURL(`${baseUrl}/forgot-password`)
    await page.getByLabel('Email').fill('someone-else@example.com')
    await submit(page, 'Send reset link')
    await see(page, "If an account exists for someone-else@example.com, we've sent it a link to choose a new password. The link expires in 1 hour.")
    await page.getByLabel('Email').fill(email)
    await submit(page, 'Send reset link')
    await see(page, new RegExp(`^If an account exists for ${email}`))

    const resetLink = await mailboxLink(page, baseUrl, email, 'Reset your SAGE-API password')
    await page.goto(resetLink)
    await page.getByLabel('New password').fill('tooshort')
    await submit(page, 'Set new password')
    await see(page, 'Use at least 10 characters.')
    await page.getByLabel('New password').fill(newPassword)
    await submit(page, 'Set new password')
    await page.waitForURL(`${baseUrl}/login?reset=1`)
    await see(page, 'Your password has been changed')

    await logInThroughForm(page, baseUrl, email, oldPassword)
    await see(page, 'Wrong email or password.')
    expect(page.url()).toContain('/login')
    await logIn(page, baseUrl, email, newPassword)

    // The sessions minted before the reset are over.
    for (const other of [laptopPage, phonePage]) {
      await other.reload()
      await other.waitForURL(/\/login\?next=/)
    }

    // The reset link is single-use.
    await page.goto(resetLink)
    await page.getByRole('heading', { name: 'This link has already been used' }).waitFor()
    await page.goto(`${baseUrl}/reset-password?token=not-a-real-token`)
    await page.getByRole('heading', { name: 'This link is not valid' }).waitFor()
    await page.screenshot({ path: screenshotPath('reset-link-used-desktop'), fullPage: true })
  })

  it('shows an expired link as expired', async () => {
    const { db } = await import('@/test-support/drizzle')
    const { emailTokens } = await import('@/lib/db/schema')
    const { sql } = await import('drizzle-orm')
    const page = await (await newContext(DESKTOP)).newPage()
    await signUpThroughForm(page, baseUrl, 'slow@example.com', 'took my time 12345')
    await checkEmailPage(page)
    const link = await mailboxLink(page, baseUrl, 'slow@example.com', 'Verify your email')
    await db.update(emailTokens).set({ expiresAt: sql`now() - interval '1 minute'` })
    await page.goto(link)
    await page.getByRole('heading', { name: 'This link has expired' }).waitFor()
    await see(page, 'Verification links work for 24 hours.')
  })
})

describe('sign-up with an address that already has an account', () => {
  it('answers with the same page as a new sign-up, creates no second account, and emails the owner', async () => {
    const { db } = await import('@/test-support/drizzle')
    const { devMailbox, users } = await import('@/lib/db/schema')
    const { eq } = await import('drizzle-orm')
    const email = 'twice@example.com'
    const newcomer = await (await newContext(DESKTOP)).newPage()
    await signUpThroughForm(newcomer, baseUrl, email, 'the owner passphrase')
    const firstAnswer = await checkEmailPage(newcomer)
    await newcomer.screenshot({ path: screenshotPath('signup-check-email-desktop'), fullPage: true })

    const prober = await (await newContext(DESKTOP)).newPage()
    await signUpThroughForm(prober, baseUrl, email.toUpperCase(), 'somebody else entirely')
    expect(await checkEmailPage(prober)).toBe(firstAnswer)
    await prober.goto(`${baseUrl}/instances`)
    await prober.waitForURL(/\/login\?next=/) // no session either time

    expect(await db.select({ id: users.id }).from(users).where(eq(users.email, email))).toHaveLength(1)
    const mail = await db.select().from(devMailbox).where(eq(devMailbox.to, email))
    expect(mail.map((message) => message.subject).sort()).toEqual(['Someone tried to sign up for SAGE-API with your email', 'Verify your email for SAGE-API'])

    // The owner reads the notice in their mailbox, and their account is as it was.
    await prober.goto(`${baseUrl}/dev/mailbox`)
    const notice = prober.getByRole('article', { name: 'Someone tried to sign up for SAGE-API with your email' }).filter({ hasText: `To ${email}` })
    expect(await notice.innerText()).toContain('no new account was created')
    await expect(notice.getByRole('link').allTextContents()).resolves.toEqual([`${baseUrl}/forgot-password`, `${baseUrl}/login`])
    await logIn(newcomer, baseUrl, email, 'the owner passphrase')
  }, 90_000)
})

describe('repeated failed log-ins', () => {
  it('are refused for a while with a clear message, even with the right password', async () => {
    const page = await (await newContext(DESKTOP)).newPage()
    await signUpThroughForm(page, baseUrl, 'target@example.com', 'the real passphrase')
    await checkEmailPage(page)
    let attempts = 0
    let message = ''
    while (attempts < 25 && !message.startsWith('Too many')) {
      await logInThroughForm(page, baseUrl, 'target@example.com', `guess ${attempts} wrong`)
      message = await see(page, /^(Wrong email or password\.|Too many failed attempts)/)
      if (!message.startsWith('Too many')) expect(message).toBe('Wrong email or password.')
      attempts++
    }
    expect(message).toMatch(/^Too many failed attempts\. Wait \d+ seconds, then try again/)
    await logInThroughForm(page, baseUrl, 'target@example.com', 'the real passphrase')
    await see(page, /^Too many failed attempts/)
    await page.goto(`${baseUrl}/instances`)
    await page.waitForURL(/\/login\?next=/)
  })
})
