import { notFound } from 'next/navigation'
import { DashboardShell } from '@/components/dashboard/shell'
import { VerifyEmailBanner } from '@/components/dashboard/verify-email-banner'
import { devMailboxInUse } from '@/lib/email/dev-mailbox'
import { requireUser } from '@/lib/auth/session'
import { virtualPhoneAvailable } from '@/lib/demo/mode'
import { logOutAction, resendVerificationAction } from '../(dashboard)/actions'

export const dynamic = 'force-dynamic'

/** The demo's pages: inside the dashboard frame, logged-in only, and nonexistent (404) unless in demo mode or with sandboxes on. */
export default async function DemoLayout({ children }: { children: React.ReactNode }) {
  if (!virtualPhoneAvailable()) notFound()
  const user = await requireUser('/demo/phone')
  return (
    <DashboardShell
      email={user.email}
      logOut={logOutAction}
      banner={user.emailVerified ? undefined : <VerifyEmailBanner email={user.email} resend={resendVerificationAction} devMailbox={devMailboxInUse()} />}
    >
      {children}
    </DashboardShell>
  )
}
