// With RESEND_API_KEY set, emails leave through the Resend SDK: a local stand-in for the Resend API
// captures the real HTTP call the web process makes, and the link in it works.
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'
import { launchBrowser } from './support/browser'
import { logIn, see, signUpThroughForm, submit } from './support/accounts'
import { startResendStandIn } from './support/resend-stand-in'

const database = await useTestDatabase()
const resend = await startResendStandIn()
const stack = await startStack({
  databaseUrl: database.url,
  workers: 0,
  env: { RESEND_API_KEY: 're_test_key_123', RESEND_BASE_URL: resend.url, EMAIL_FROM: 'SAGE-API <hello@sage.example>' },
})
const browser = await launchBrowser()
const { db } = await import('@/test-support/drizzle')
const { devMailbox, emailTokens } = await import('@/lib/db/schema')
const { sql } = await import('drizzle-orm')

describe('email through Resend', () => {
  it('sends the verification email with the SDK call Resend expects, and its link verifies the account', async () => {
    const context = await browser.newContext()
    context.setDefaultTimeout(10_000)
    const page = await context.newPage()
    await signUpThroughForm(page, stack.baseUrl, 'mail@example.com', 'resend passphrase 1')
    await page.waitForURL(`${stack.baseUrl}/signup/check-email`)

    expect(resend.calls).toHaveLength(1)
    const [call] = resend.calls
    expect(call.method).toBe('POST')
    expect(call.path).toBe('/emails')
    expect(call.headers.authorization).toBe('Bearer re_test_key_123')
    expect(call.headers['content-type']).toContain('application/json')
    expect(call.body).toMatchObject({
      from: 'SAGE-API <hello@sage.example>',
      to: ['mail@example.com'],
      subject: 'Verify your email for SAGE-API',
    })
    const text = String(call.body.text)
    const html = String(call.body.html)
    const link = text.match(/https?:\/\/\S+/)?.[0]
    expect(link).toMatch(new RegExp(`^${stack.baseUrl}/verify-email\\?token=[\\w-]{43}$`))
    expect(html).toContain(`href="${link}"`)
    expect(await db.select().from(devMailbox)).toHaveLength(0)

    await page.goto(link!)
    await page.getByRole('heading', { name: 'Your email is verified' }).waitFor()
    await context.close()
  })

  it('tells the user when Resend refuses an email, and the account is unharmed', async () => {
    const context = await browser.newContext()
    context.setDefaultTimeout(10_000)
    const page = await context.newPage()
    resend.answerWith(422, { statusCode: 422, name: 'validation_error', message: 'The domain is not verified.' })
    await signUpThroughForm(page, stack.baseUrl, 'refused@example.com', 'resend passphrase 2')
    await page.waitForURL(`${stack.baseUrl}/signup/check-email`)
    await logIn(page, stack.baseUrl, 'refused@example.com', 'resend passphrase 2')
    await see(page, 'Verify your email to get started.')

    await db.update(emailTokens).set({ createdAt: sql`now() - interval '5 minutes'` })
    const before = resend.calls.length
    await submit(page, 'Resend email')
    await see(page, "We couldn't send the email right now. Try again in a few minutes.")
    expect(resend.calls.length).toBe(before + 1)

    resend.answerWith(200, { id: 'b1b2c3d4-e5f6-7890-abcd-ef0123456789' })
    await db.update(emailTokens).set({ createdAt: sql`now() - interval '5 minutes'` })
    await submit(page, 'Resend email')
    await see(page, 'A new link is on its way to refused@example.com.')
    expect(resend.calls.at(-1)?.body).toMatchObject({ to: ['refused@example.com'], subject: 'Verify your email for SAGE-API' })
    await context.close()
  })

  it('sends the password reset email through Resend too', async () => {
    const context = await browser.newContext()
    context.setDefaultTimeout(10_000)
    const page = await context.newPage()
    await page.goto(`${stack.baseUrl}/forgot-password`)
    await page.getByLabel('Email').fill('mail@example.com')
    await submit(page, 'Send reset link')
    await see(page, 'If an account exists for mail@example.com')
    const call = resend.calls.at(-1)!
    expect(call.body).toMatchObject({ to: ['mail@example.com'], subject: 'Reset your SAGE-API password' })
    expect(String(call.body.text)).toMatch(new RegExp(`${stack.baseUrl}/reset-password\\?token=[\\w-]{43}`))
    await context.close()
  })
})
