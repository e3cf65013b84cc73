import { DashboardShell } from '@/components/dashboard/shell'
import { VerifyEmailBanner } from '@/components/dashboard/verify-email-banner'
import { requireUser } from '@/lib/auth/session'
import { logOutAction, resendVerificationAction } from './actions'

/** Every dashboard page: logged-in only, with the verify-email banner until the address is confirmed. */
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser()
  return (
    <DashboardShell
      email={user.email}
      logOut={logOutAction}
      banner={user.emailVerified ? undefined : <VerifyEmailBanner email={user.email} resend={resendVerificationAction} />}
    >
      {children}
    </DashboardShell>
  )
}
