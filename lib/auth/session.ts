import 'server-only'
import { cache } from 'react'
import { headers } from 'next/headers'
import { redirect } from 'next/navigation'
import { findUserById, accountContext, type AccountContext, type User } from '@/lib/services/accounts/users'
import { auth } from './auth'

export type SessionUser = AccountContext & { user: User }

/**
 * The logged-in user, read fresh from the database once per request, or null. A token minted
 * before the account's last password reset (older session_version) counts as no session.
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = (await auth()) as { userId?: string; sessionVersion?: number } | null
  if (!session?.userId || typeof session.sessionVersion !== 'number') return null
  const user = await findUserById(session.userId)
  if (!user || user.sessionVersion !== session.sessionVersion) return null
  return { ...accountContext(user), user }
})

/**
 * For dashboard pages and layouts: the user, or a redirect to the log-in page that comes back to the
 * requested path afterwards (set by proxy.ts; the log-in page accepts only same-site paths).
 */
export async function requireUser(returnTo?: string): Promise<SessionUser> {
  const user = await currentUser()
  if (!user) {
    const path = returnTo ?? (await headers()).get('x-sage-request-path') ?? '/instances'
    redirect(`/login?next=${encodeURIComponent(path)}`)
  }
  return user
}
