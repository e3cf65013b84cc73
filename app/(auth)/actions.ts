'use server'
import { redirect } from 'next/navigation'
import { CredentialsSignin } from 'next-auth'
import { z } from 'zod'
import { formAction } from '@/lib/actions/server-action'
import { Email, LogInInput, ResetPasswordInput } from '@/lib/api/schemas/accounts'
import { LoginThrottled, signIn } from '@/lib/auth/auth'
import { signUp } from '@/lib/services/accounts/verification'
import { requestPasswordReset, resetPassword } from '@/lib/services/accounts/password-reset'
import { safeNextPath } from './next-path'

const Credentials = z.object({ email: z.string(), password: z.string() })

function waitText(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`
  return `${Math.ceil(seconds / 60)} minutes`
}

/** The log-in refusals that are not validation: a wrong password, or too many of them. */
function logInRefusal(error: unknown): string | undefined {
  if (error instanceof LoginThrottled) {
    return `Too many failed attempts. Wait ${waitText(error.retryAfterSeconds)}, then try again — or reset your password.`
  }
  if (error instanceof CredentialsSignin) return 'Wrong email or password.'
  return undefined
}

/**
 * Whether or not the address already has an account, the answer is the same page (the owner of an
 * existing account is emailed instead), so this form cannot tell anyone which emails are customers.
 */
export const signUpAction = formAction({ anonymous: true, input: Credentials }, async ({ input }) => {
  await signUp(input)
  redirect('/signup/check-email')
})

export const logInAction = formAction(
  { anonymous: true, input: LogInInput.extend({ next: z.string().optional() }), explain: logInRefusal },
  async ({ input }) => {
    await signIn('credentials', { email: input.email, password: input.password, redirect: false })
    redirect(safeNextPath(input.next))
  },
)

export const forgotPasswordAction = formAction({ anonymous: true, input: z.object({ email: Email }) }, async ({ input }) => {
  await requestPasswordReset(input.email)
  return {
    email: input.email,
    notice: `If an account exists for ${input.email}, we've sent it a link to choose a new password. The link expires in 1 hour.`,
  }
})

export const resetPasswordAction = formAction({ anonymous: true, input: z.object({ token: z.string(), password: z.string() }) }, async ({ input }) => {
  // A mangled token is a broken link, answered like any other broken link.
  if (!ResetPasswordInput.shape.token.safeParse(input.token).success) redirect('/reset-password?problem=invalid')
  const result = await resetPassword(input)
  if (!result.ok) redirect(`/reset-password?problem=${result.problem}`)
  redirect('/login?reset=1')
})
