'use server'
import { redirect } from 'next/navigation'
import { CredentialsSignin } from 'next-auth'
import { ApiError } from '@/lib/api/errors'
import { Email, LogInInput } from '@/lib/api/schemas/accounts'
import { LoginThrottled, signIn } from '@/lib/auth/auth'
import { signUp } from '@/lib/services/accounts/verification'
import { requestPasswordReset, resetPassword } from '@/lib/services/accounts/password-reset'
import { safeNextPath, type FormState } from './form-state'

function text(formData: FormData, name: string): string {
  const value = formData.get(name)
  return typeof value === 'string' ? value : ''
}

/** ApiError details (field → message) onto the form's fields. */
function fieldErrorsOf(error: ApiError): FormState['fieldErrors'] {
  const errors: NonNullable<FormState['fieldErrors']> = {}
  for (const detail of Array.isArray(error.details) ? error.details : []) {
    const field = detail.field as keyof typeof errors
    errors[field] ??= detail.message
  }
  return errors
}

function waitText(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`
  return `${Math.ceil(seconds / 60)} minutes`
}

async function logInWith(email: string, password: string): Promise<FormState | undefined> {
  try {
    await signIn('credentials', { email, password, redirect: false })
    return undefined
  } catch (error) {
    if (error instanceof LoginThrottled) {
      return { formError: `Too many failed attempts. Wait ${waitText(error.retryAfterSeconds)}, then try again — or reset your password.`, values: { email } }
    }
    if (error instanceof CredentialsSignin) return { formError: 'Wrong email or password.', values: { email } }
    throw error
  }
}

export async function signUpAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const email = text(formData, 'email')
  const password = text(formData, 'password')
  try {
    await signUp({ email, password })
  } catch (error) {
    if (error instanceof ApiError) return { fieldErrors: fieldErrorsOf(error), values: { email } }
    throw error
  }
  const failed = await logInWith(email, password)
  if (failed) redirect('/login')
  redirect('/instances?welcome=1')
}

export async function logInAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const email = text(formData, 'email')
  const parsed = LogInInput.safeParse({ email, password: text(formData, 'password') })
  if (!parsed.success) {
    const fieldErrors: FormState['fieldErrors'] = {}
    for (const issue of parsed.error.issues) fieldErrors[issue.path[0] as 'email' | 'password'] ??= issue.message
    return { fieldErrors, values: { email } }
  }
  const failed = await logInWith(parsed.data.email, parsed.data.password)
  if (failed) return failed
  redirect(safeNextPath(formData.get('next')))
}

export async function forgotPasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const parsed = Email.safeParse(text(formData, 'email'))
  if (!parsed.success) return { fieldErrors: { email: parsed.error.issues[0].message }, values: { email: text(formData, 'email') } }
  await requestPasswordReset(parsed.data)
  return {
    notice: `If an account exists for ${parsed.data}, we've sent it a link to choose a new password. The link expires in 1 hour.`,
    values: { email: parsed.data },
  }
}

export async function resetPasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  let result
  try {
    result = await resetPassword({ token: text(formData, 'token'), password: text(formData, 'password') })
  } catch (error) {
    if (error instanceof ApiError) {
      const fieldErrors = fieldErrorsOf(error)
      if (fieldErrors?.password) return { fieldErrors: { password: fieldErrors.password } }
      return { formError: 'This reset link is not valid. Ask for a new one.' }
    }
    throw error
  }
  if (!result.ok) redirect(`/reset-password?problem=${result.problem}`)
  redirect('/login?reset=1')
}
