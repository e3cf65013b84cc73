// Account rules against a real database: sign-up validation, single-use expiring links, reset ends sessions, throttled log-ins.
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'

await useTestDatabase()
const { db } = await import('@/test-support/drizzle')
const { devMailbox, emailTokens, users } = await import('@/lib/db/schema')
const { eq, desc, sql } = await import('drizzle-orm')
const { ApiError } = await import('@/lib/api/errors')
const { createUser, findUserByEmail } = await import('./users')
const { signUp, verifyEmail, resendVerification } = await import('./verification')
const { requestPasswordReset, resetPassword, checkPasswordResetLink } = await import('./password-reset')
const { logIn } = await import('./login')
const { issueEmailToken } = await import('./email-tokens')

const PASSWORD = 'a long enough passphrase'

async function lastLinkTo(email: string): Promise<string> {
  const [mail] = await db.select().from(devMailbox).where(eq(devMailbox.to, email)).orderBy(desc(devMailbox.createdAt)).limit(1)
  const link = mail?.text.match(/https?:\/\/\S+/)?.[0]
  if (!link) throw new Error(`no email with a link to ${email}`)
  return link
}

function tokenOf(link: string): string {
  return new URL(link).searchParams.get('token')!
}

/** signUp for an address without an account: the new account. */
async function signUpNew(input: { email: string; password: string }) {
  const result = await signUp(input)
  if (!result.created) throw new Error(`${input.email} already had an account`)
  return result
}

async function apiError(promise: Promise<unknown>): Promise<InstanceType<typeof ApiError>> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ApiError)
  return error as InstanceType<typeof ApiError>
}

describe('sign-up', () => {
  it('creates an unverified account with a lowercased email and emails a verification link', async () => {
    const { user, emailSent } = await signUpNew({ email: '  Ada@Example.COM ', password: PASSWORD })
    expect(emailSent).toBe(true)
    expect(user.email).toBe('ada@example.com')
    expect(user.emailVerifiedAt).toBeNull()
    expect(user.passwordHash).not.toContain(PASSWORD)
    expect(await lastLinkTo('ada@example.com')).toMatch(/^http:\/\/localhost:3000\/verify-email\?token=[\w-]{43}$/)
    const [stored] = await db.select().from(emailTokens).where(eq(emailTokens.userId, user.id))
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/)
    expect(stored.tokenHash).not.toBe(tokenOf(await lastLinkTo('ada@example.com')))
  })

  it('refuses a duplicate email in any letter case with email_taken', async () => {
    await createUser({ email: 'dup@example.com', password: PASSWORD })
    const error = await apiError(createUser({ email: 'DUP@example.com', password: PASSWORD }))
    expect(error.code).toBe('email_taken')
    expect(error.status).toBe(409)
  })

  it('creates nothing for an address that has an account, and emails its owner instead, once an hour at most', async () => {
    const owner = await createUser({ email: 'taken@example.com', password: PASSWORD, verified: true })
    const attempt = await signUp({ email: ' TAKEN@example.com', password: 'someone else entirely' })
    expect(attempt).toEqual({ created: false, noticeSent: true })
    const accounts = await db.select().from(users).where(sql`lower(${users.email}) = 'taken@example.com'`)
    expect(accounts.map((account) => account.id)).toEqual([owner.id])
    expect(accounts[0].passwordHash).toBe(owner.passwordHash)

    const mail = await db.select().from(devMailbox).where(eq(devMailbox.to, 'taken@example.com'))
    expect(mail.map((email) => email.subject)).toEqual(['Someone tried to sign up for SAGE-API with your email'])
    expect(mail[0].text).toContain('no new account was created')
    expect(mail[0].text).toContain('http://localhost:3000/login')
    expect(mail[0].text).toContain('http://localhost:3000/forgot-password')
    expect(await db.select().from(emailTokens).where(eq(emailTokens.userId, owner.id))).toHaveLength(0)

    // Hammering the form does not flood the owner's inbox.
    expect(await signUp({ email: 'taken@example.com', password: 'someone else entirely' })).toEqual({ created: false, noticeSent: false })
    expect(await db.select().from(devMailbox).where(eq(devMailbox.to, 'taken@example.com'))).toHaveLength(1)
  })

  it('explains invalid emails and weak passwords field by field', async () => {
    const error = await apiError(createUser({ email: 'not-an-email', password: 'short' }))
    expect(error.code).toBe('invalid_request')
    expect(error.details).toEqual([
      { field: 'email', message: 'Enter a valid email address, like you@example.com.' },
      { field: 'password', message: 'Use at least 10 characters.' },
    ])
    const common = await apiError(createUser({ email: 'c@example.com', password: 'password123' }))
    expect(common.details).toEqual([{ field: 'password', message: 'This password is too common; choose another.' }])
    const repetitive = await apiError(createUser({ email: 'c@example.com', password: 'aaaaaaaaaaaa' }))
    expect(repetitive.details).toEqual([{ field: 'password', message: 'Use more than a few different characters.' }])
  })
})

describe('email verification links', () => {
  it('verify once; a second use says already verified; unknown tokens are invalid', async () => {
    await signUp({ email: 'once@example.com', password: PASSWORD })
    const token = tokenOf(await lastLinkTo('once@example.com'))
    expect(await verifyEmail(token)).toEqual({ ok: true, email: 'once@example.com' })
    expect((await findUserByEmail('once@example.com'))?.emailVerifiedAt).toBeInstanceOf(Date)
    expect(await verifyEmail(token)).toEqual({ ok: false, problem: 'already_verified' })
    expect(await verifyEmail('made-up-token')).toEqual({ ok: false, problem: 'invalid' })
  })

  it('refuses an expired link and leaves the account unverified', async () => {
    const user = await createUser({ email: 'late@example.com', password: PASSWORD })
    const token = await issueEmailToken(user.id, 'verify_email')
    await db.update(emailTokens).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(emailTokens.userId, user.id))
    expect(await verifyEmail(token)).toEqual({ ok: false, problem: 'expired' })
    expect((await findUserByEmail('late@example.com'))?.emailVerifiedAt).toBeNull()
  })

  it('expires verification links after 24 hours', async () => {
    const user = await createUser({ email: 'ttl@example.com', password: PASSWORD })
    await issueEmailToken(user.id, 'verify_email')
    const [row] = await db.select().from(emailTokens).where(eq(emailTokens.userId, user.id))
    const hours = (row.expiresAt.getTime() - row.createdAt.getTime()) / 3_600_000
    expect(hours).toBeCloseTo(24, 1)
  })

  it('lets only one of two racing clicks use a link', async () => {
    await signUp({ email: 'race@example.com', password: PASSWORD })
    const token = tokenOf(await lastLinkTo('race@example.com'))
    const results = await Promise.all([verifyEmail(token), verifyEmail(token), verifyEmail(token)])
    expect(results.filter((r) => r.ok)).toHaveLength(1)
  })

  it('resends at most once a minute, and not after verification', async () => {
    const { user } = await signUpNew({ email: 'resend@example.com', password: PASSWORD })
    expect(await resendVerification(user.id)).toBe('too_soon')
    await db.update(emailTokens).set({ createdAt: sql`now() - interval '2 minutes'` }).where(eq(emailTokens.userId, user.id))
    expect(await resendVerification(user.id)).toBe('sent')
    const emails = await db.select().from(devMailbox).where(eq(devMailbox.to, 'resend@example.com'))
    expect(emails).toHaveLength(2)
    await verifyEmail(tokenOf(await lastLinkTo('resend@example.com')))
    expect(await resendVerification(user.id)).toBe('already_verified')
  })
})

describe('password reset', () => {
  it('sets the new password, bumps session_version, and the link works once', async () => {
    const user = await createUser({ email: 'reset@example.com', password: PASSWORD, verified: true })
    await requestPasswordReset('Reset@example.com')
    const link = await lastLinkTo('reset@example.com')
    expect(link).toMatch(/\/reset-password\?token=/)
    const token = tokenOf(link)
    expect(await checkPasswordResetLink(token)).toEqual({ ok: true })

    const weak = await apiError(resetPassword({ token, password: 'short' }))
    expect(weak.details).toEqual([{ field: 'password', message: 'Use at least 10 characters.' }])
    expect(await checkPasswordResetLink(token)).toEqual({ ok: true })

    expect(await resetPassword({ token, password: 'a brand new passphrase' })).toEqual({ ok: true, email: 'reset@example.com' })
    const updated = await findUserByEmail('reset@example.com')
    expect(updated?.sessionVersion).toBe(user.sessionVersion + 1)
    expect(await resetPassword({ token, password: 'yet another passphrase' })).toEqual({ ok: false, problem: 'used' })
    expect(await checkPasswordResetLink(token)).toEqual({ ok: false, problem: 'used' })

    expect((await logIn({ email: 'reset@example.com', password: PASSWORD, ip: '192.0.2.50' })).ok).toBe(false)
    expect((await logIn({ email: 'reset@example.com', password: 'a brand new passphrase', ip: '192.0.2.50' })).ok).toBe(true)
  })

  it('expires reset links after one hour', async () => {
    const user = await createUser({ email: 'hour@example.com', password: PASSWORD, verified: true })
    const token = await issueEmailToken(user.id, 'reset_password')
    const [row] = await db.select().from(emailTokens).where(eq(emailTokens.userId, user.id))
    expect((row.expiresAt.getTime() - row.createdAt.getTime()) / 60_000).toBeCloseTo(60, 0)
    await db.update(emailTokens).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(emailTokens.userId, user.id))
    expect(await resetPassword({ token, password: 'a brand new passphrase' })).toEqual({ ok: false, problem: 'expired' })
  })

  it('sends nothing for an unknown email (and says nothing about it)', async () => {
    await expect(requestPasswordReset('nobody@example.com')).resolves.toBeUndefined()
    expect(await db.select().from(devMailbox).where(eq(devMailbox.to, 'nobody@example.com'))).toHaveLength(0)
  })
})

describe('log-in', () => {
  it('gives the same answer for a wrong password and an unknown email', async () => {
    await createUser({ email: 'login@example.com', password: PASSWORD, verified: true })
    expect(await logIn({ email: 'login@example.com', password: 'wrong password!', ip: '192.0.2.1' })).toEqual({ ok: false, reason: 'invalid_credentials' })
    expect(await logIn({ email: 'ghost@example.com', password: 'wrong password!', ip: '192.0.2.1' })).toEqual({ ok: false, reason: 'invalid_credentials' })
    const ok = await logIn({ email: 'LOGIN@example.com', password: PASSWORD, ip: '192.0.2.1' })
    expect(ok.ok && ok.user.email).toBe('login@example.com')
  })

  it('refuses one address after 5 failures on an account, even with the right password, while others still get in', async () => {
    await createUser({ email: 'victim@example.com', password: PASSWORD, verified: true })
    for (let i = 0; i < 5; i++) {
      expect(await logIn({ email: 'victim@example.com', password: `guess number ${i}`, ip: '198.51.100.7' })).toMatchObject({ reason: 'invalid_credentials' })
    }
    const refused = await logIn({ email: 'victim@example.com', password: PASSWORD, ip: '198.51.100.7' })
    expect(refused).toMatchObject({ ok: false, reason: 'throttled' })
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(20)
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(30)
    expect((await logIn({ email: 'victim@example.com', password: PASSWORD, ip: '198.51.100.8' })).ok).toBe(true)
  })

  it('doubles the wait with each failure past the budget', async () => {
    await db.execute(sql`update login_throttles set blocked_until = null`)
    const guess = () => logIn({ email: 'unknown-target@example.com', password: 'guessing away', ip: '203.0.113.9' })
    for (let i = 0; i < 5; i++) await guess()
    await db.execute(sql`update login_throttles set blocked_until = now() - interval '1 second' where blocked_until is not null`)
    await guess()
    const refused = await guess()
    expect(refused).toMatchObject({ reason: 'throttled' })
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(50)
  })

  it('refuses an account under attack from many addresses after 20 failures', { timeout: 90_000 }, async () => {
    await createUser({ email: 'spread@example.com', password: PASSWORD, verified: true })
    for (let i = 0; i < 20; i++) await logIn({ email: 'spread@example.com', password: 'wrong wrong', ip: `10.0.${i}.1` })
    expect(await logIn({ email: 'spread@example.com', password: PASSWORD, ip: '10.9.9.9' })).toMatchObject({ reason: 'throttled' })
  })

  it('stores no email or address in the clear', async () => {
    const rows = await db.execute<{ bucket: string }>(sql`select bucket from login_throttles`)
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) expect(row.bucket).toMatch(/^[0-9a-f]{64}$/)
  })
})
