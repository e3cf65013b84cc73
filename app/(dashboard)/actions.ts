'use server'
import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { ApiError } from '@/lib/api/errors'
import { signOut } from '@/lib/auth/auth'
import { currentUser } from '@/lib/auth/session'
import { resendVerification } from '@/lib/services/accounts/verification'
import { createInstance } from '@/lib/services/instances/instances'
import type { ResendState } from '@/components/dashboard/verify-email-banner'

export async function logOutAction(): Promise<void> {
  await signOut({ redirectTo: '/login' })
}

export async function resendVerificationAction(): Promise<ResendState> {
  const user = await currentUser()
  if (!user) redirect('/login')
  const result = await resendVerification(user.userId)
  switch (result) {
    case 'sent':
      return { tone: 'success', message: `A new link is on its way to ${user.email}.` }
    case 'too_soon':
      return { tone: 'error', message: 'We just sent one. Give it a minute before asking again (and check your spam folder).' }
    case 'already_verified':
      redirect('/instances')
    default:
      return { tone: 'error', message: "We couldn't send the email right now. Try again in a few minutes." }
  }
}

export type CreateInstanceState = { error?: string; created?: string; name?: string }

export async function createInstanceAction(_previous: CreateInstanceState, formData: FormData): Promise<CreateInstanceState> {
  const user = await currentUser()
  if (!user) redirect('/login?next=/instances')
  const name = String(formData.get('name') ?? '').trim()
  try {
    const instance = await createInstance({ ctx: user, input: { name } })
    revalidatePath('/instances')
    return { created: instance.name }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    const detail = Array.isArray(error.details) ? error.details[0]?.message : undefined
    return { error: detail ?? error.message, name }
  }
}
