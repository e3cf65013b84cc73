'use server'
import { z } from 'zod'
import { formAction } from '@/lib/actions/server-action'
import { signOut } from '@/lib/auth/auth'
import { RetentionInput } from '@/lib/retention/policy'
import { deleteOwnAccount } from '@/lib/services/accounts/deletion'
import { changeRetention } from '@/lib/services/accounts/retention'
import { requestExport } from '@/lib/services/accounts/export-jobs'

export const saveRetentionAction = formAction({ input: RetentionInput, revalidate: '/settings' }, async ({ user, input }) => {
  await changeRetention({ ctx: user, input })
  return 'Retention saved. Older data goes within the hour.'
})

export const deleteAccountAction = formAction({ input: z.object({ email: z.string(), password: z.string() }) }, async ({ user, input }) => {
  await deleteOwnAccount({ ctx: user, input })
  // The account's row is gone, so the session is already refused; this also clears the cookie.
  await signOut({ redirectTo: '/login?deleted=1' })
})

export const requestExportAction = formAction({ input: z.object({}), revalidate: '/settings' }, async ({ user }) => {
  await requestExport({ ctx: user, paths: 'session' })
  return 'Export started. We email you when it is ready.'
})
