import 'server-only'
import { config } from '@/lib/config'
import { inTransaction, replacePassword } from '@/lib/store/accounts'
import { ResetPasswordInput } from '@/lib/api/schemas/accounts'
import { parseWith } from '@/lib/api/validation'
import { hashPassword } from '@/lib/auth/password'
import { sendEmailOrLog } from '@/lib/email/send'
import { passwordResetEmail } from '@/lib/email/templates'
import { checkEmailToken, consumeEmailToken, issueEmailToken, linkSentWithin, type TokenProblem } from './email-tokens'
import { retireEmailTokens } from '@/lib/store/accounts'
import { findUserByEmail } from './users'

/** One reset email per account per this long, whoever asks (stops mail-bombing someone's inbox). */
export const RESET_COOLDOWN_MS = 60_000

/**
 * Always succeeds from the caller's point of view: whether the email has an account is never
 * revealed. Only an existing account actually gets an email.
 */
export async function requestPasswordReset(email: string): Promise<void> {
  const user = await findUserByEmail(email)
  if (!user || (await linkSentWithin(user.id, 'reset_password', RESET_COOLDOWN_MS))) return
  const token = await issueEmailToken(user.id, 'reset_password')
  const url = new URL(`/reset-password?token=${encodeURIComponent(token)}`, config().APP_URL).toString()
  await sendEmailOrLog(passwordResetEmail(user.email, url), { userId: user.id })
}

export async function checkPasswordResetLink(token: string): Promise<{ ok: true } | { ok: false; problem: TokenProblem }> {
  const result = await checkEmailToken('reset_password', token)
  return result.ok ? { ok: true } : { ok: false, problem: result.problem }
}

export type ResetResult = { ok: true; email: string } | { ok: false; problem: TokenProblem }

/**
 * Sets the new password, uses up the link (and any other reset link of the account) and bumps
 * session_version, so every session minted before now is refused. A reset also proves the
 * mailbox is the user's, so it verifies the email if that was still pending.
 */
export async function resetPassword(input: { token: string; password: string }): Promise<ResetResult> {
  const { token, password } = parseWith(ResetPasswordInput, input, 'body')
  const passwordHash = await hashPassword(password)
  return inTransaction(async (tx): Promise<ResetResult> => {
    const result = await consumeEmailToken(tx, 'reset_password', token)
    if (!result.ok) return { ok: false, problem: result.problem }
    const email = await replacePassword(tx, result.userId, passwordHash)
    await retireEmailTokens(tx, result.userId, 'reset_password')
    return { ok: true, email }
  })
}
