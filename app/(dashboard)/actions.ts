'use server'
import { redirect } from 'next/navigation'
import { z } from 'zod'
import { ActionRefusal } from '@/lib/actions/refusal'
import { formAction } from '@/lib/actions/server-action'
import { signOut } from '@/lib/auth/auth'
import { resendVerification } from '@/lib/services/accounts/verification'
import { createInstance } from '@/lib/services/instances/instances'

const NO_FIELDS = z.object({})

export const logOutAction = formAction({ input: NO_FIELDS }, async () => {
  await signOut({ redirectTo: '/login' })
})

export const resendVerificationAction = formAction({ input: NO_FIELDS }, async ({ user }) => {
  switch (await resendVerification(user.userId)) {
    case 'sent':
      return `A new link is on its way to ${user.email}.`
    case 'too_soon':
      throw new ActionRefusal('We just sent one. Give it a minute before asking again (and check your spam folder).')
    case 'already_verified':
      redirect('/instances')
    default:
      throw new ActionRefusal("We couldn't send the email right now. Try again in a few minutes.")
  }
})

// `sandbox` is the create form's checkbox: "on" when ticked, absent otherwise.
export const createInstanceAction = formAction({ input: z.object({ name: z.string().trim(), sandbox: z.string().optional() }), revalidate: '/instances' }, async ({ user, input }) => {
  return (await createInstance({ ctx: user, input: { name: input.name, sandbox: input.sandbox === 'on' } })).name
})
