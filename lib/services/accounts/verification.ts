import 'server-only'
import { config } from '@/lib/config'
import { inTransaction, markEmailVerified } from '@/lib/store/accounts'
import { ApiError } from '@/lib/api/errors'
import { sendEmailOrLog } from '@/lib/email/send'
import { signUpAttemptEmail, verificationEmail } from '@/lib/email/templates'
import { rateLimiter } from '@/lib/ratelimit'
import { consumeEmailToken, issueEmailToken, linkSentWithin, type TokenProblem } from './email-tokens'
import { retireEmailTokens } from '@/lib/store/accounts'
import { createUser, findUserByEmail, findUserById, type User } from './users'

/** A resend within this long of the previous email is refused (the button is easy to hammer). */
export const RESEND_COOLDOWN_MS = 60_000

/** One "someone tried to sign up with your email" notice per account per this long, however often it is tried. */
export const SIGN_UP_NOTICE_COOLDOWN_MS = 60 * 60 * 1000

function appLink(path: string): string {
  return new URL(path, config().APP_URL).toString()
}

/** Issues a verification link and emails it; false when the email could not be sent (the account still exists). */
async function sendVerification(user: Pick<User, 'id' | 'email'>): Promise<boolean> {
  const token = await issueEmailToken(user.id, 'verify_email')
  return sendEmailOrLog(verificationEmail(user.email, appLink(`/verify-email?token=${encodeURIComponent(token)}`)), { userId: user.id })
}

/** Tells an account's owner that someone tried to sign up with their address; at most once per cooldown. */
async function noticeSignUpAttempt(email: string): Promise<boolean> {
  const owner = await findUserByEmail(email)
  if (!owner) return false
  const allowed = await rateLimiter().limit(`sign-up-notice:${owner.id}`, 1, SIGN_UP_NOTICE_COOLDOWN_MS)
  if (!allowed.success) return false
  return sendEmailOrLog(signUpAttemptEmail(owner.email, { logIn: appLink('/login'), forgotPassword: appLink('/forgot-password') }), { userId: owner.id })
}

export type SignUpResult = { created: true; user: User; emailSent: boolean } | { created: false; noticeSent: boolean }

/**
 * Sign-up: the account (validated) plus its verification email. An address that already has an
 * account creates nothing; its owner is emailed instead. Callers must answer both the same way, so
 * the sign-up form cannot be used to find out which emails are customers (the CLI, run by
 * operators, uses createUser and still says "email_taken").
 */
export async function signUp(input: { email: string; password: string }): Promise<SignUpResult> {
  try {
    const user = await createUser(input)
    return { created: true, user, emailSent: await sendVerification(user) }
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'email_taken') throw error
    return { created: false, noticeSent: await noticeSignUpAttempt(input.email) }
  }
}

export type ResendResult = 'sent' | 'already_verified' | 'too_soon' | 'failed'

export async function resendVerification(userId: string): Promise<ResendResult> {
  const user = await findUserById(userId)
  if (!user) return 'failed'
  if (user.emailVerifiedAt) return 'already_verified'
  if (await linkSentWithin(user.id, 'verify_email', RESEND_COOLDOWN_MS)) return 'too_soon'
  return (await sendVerification(user)) ? 'sent' : 'failed'
}

export type VerifyResult = { ok: true; email: string } | { ok: false; problem: TokenProblem | 'already_verified' }

/** Uses a verification link. A second click on a used link after success says "already verified", not an error. */
export async function verifyEmail(token: string): Promise<VerifyResult> {
  return inTransaction(async (tx): Promise<VerifyResult> => {
    const result = await consumeEmailToken(tx, 'verify_email', token)
    if (!result.ok) {
      if (result.problem === 'used' && result.userId && (await findUserById(result.userId))?.emailVerifiedAt) return { ok: false, problem: 'already_verified' }
      return { ok: false, problem: result.problem }
    }
    const email = await markEmailVerified(tx, result.userId)
    await retireEmailTokens(tx, result.userId, 'verify_email')
    return { ok: true, email }
  })
}
