import { DashboardShell } from '@/components/dashboard/shell'
import { VerifyEmailBanner } from '@/components/dashboard/verify-email-banner'
import { DemoBanner } from '@/components/demo/demo-banner'
import { devMailboxInUse } from '@/lib/email/dev-mailbox'
import { requireUser } from '@/lib/auth/session'
import { isDemoMode } from '@/lib/demo/mode'
import { logOutAction, resendVerificationAction } from './actions'

/** Every dashboard page: logged-in only, with the verify-email banner until the address is confirmed (and the demo banner in demo mode). */
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser()
  return (
    <DashboardShell
      email={user.email}
      logOut={logOutAction}
      banner={
        <>
          {user.emailVerified ? null : <VerifyEmailBanner email={user.email} resend={resendVerificationAction} devMailbox={devMailboxInUse()} />}
          {isDemoMode() && <DemoBanner />}
        </>
      }
    >
      {children}
    </DashboardShell>
  )
}
