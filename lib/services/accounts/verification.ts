import 'server-only'
import { and, desc, eq, sql } from 'drizzle-orm'
import { config } from '@/lib/config'
import { db } from '@/lib/db'
import { emailTokens, users } from '@/lib/db/schema'
import { sendEmail } from '@/lib/email/send'
import { verificationEmail } from '@/lib/email/templates'
import { log } from '@/lib/log'
import { consumeEmailToken, issueEmailToken, retireEmailTokens, type TokenProblem } from './email-tokens'
import { createUser, findUserById, type User } from './users'

/** A resend within this long of the previous email is refused (the button is easy to hammer). */
export const RESEND_COOLDOWN_MS = 60_000

function verifyUrl(token: string): string {
  return new URL(`/verify-email?token=${encodeURIComponent(token)}`, config().APP_URL).toString()
}

/** Issues a verification link and emails it; false when the email could not be sent (the account still exists). */
async function sendVerification(user: Pick<User, 'id' | 'email'>): Promise<boolean> {
  const token = await issueEmailToken(db, user.id, 'verify_email')
  try {
    await sendEmail(verificationEmail(user.email, verifyUrl(token)))
    return true
  } catch (error) {
    log.error({ err: error, userId: user.id }, 'verification email not sent')
    return false
  }
}

/** Sign-up: the account (validated, unique email) plus its verification email. */
export async function signUp(input: { email: string; password: string }): Promise<{ user: User; emailSent: boolean }> {
  const user = await createUser(input)
  return { user, emailSent: await sendVerification(user) }
}

export type ResendResult = 'sent' | 'already_verified' | 'too_soon' | 'failed'

export async function resendVerification(userId: string): Promise<ResendResult> {
  const user = await findUserById(userId)
  if (!user) return 'failed'
  if (user.emailVerifiedAt) return 'already_verified'
  const [latest] = await db
    .select({ createdAt: emailTokens.createdAt })
    .from(emailTokens)
    .where(and(eq(emailTokens.userId, user.id), eq(emailTokens.purpose, 'verify_email')))
    .orderBy(desc(emailTokens.createdAt))
    .limit(1)
  if (latest && Date.now() - latest.createdAt.getTime() < RESEND_COOLDOWN_MS) return 'too_soon'
  return (await sendVerification(user)) ? 'sent' : 'failed'
}

export type VerifyResult = { ok: true; email: string } | { ok: false; problem: TokenProblem | 'already_verified' }

/** Uses a verification link. A second click on a used link after success says "already verified", not an error. */
export async function verifyEmail(token: string): Promise<VerifyResult> {
  return db.transaction(async (tx) => {
    const result = await consumeEmailToken(tx, 'verify_email', token)
    if (!result.ok) {
      if (result.problem === 'used' && result.userId) {
        const [user] = await tx.select({ verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, result.userId))
        if (user?.verifiedAt) return { ok: false, problem: 'already_verified' }
      }
      return { ok: false, problem: result.problem }
    }
    const [user] = await tx
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
      .where(eq(users.id, result.userId))
      .returning({ email: users.email })
    await retireEmailTokens(tx, result.userId, 'verify_email')
    return { ok: true, email: user.email }
  })
}

