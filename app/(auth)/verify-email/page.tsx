import type { Metadata } from 'next'
import { currentUser } from '@/lib/auth/session'
import { verifyEmail } from '@/lib/services/accounts/verification'
import { LinkProblem, LinkResult } from '../link-result'

export const metadata: Metadata = { title: 'Verify your email' }
export const dynamic = 'force-dynamic'

export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { token } = await searchParams
  const result = token ? await verifyEmail(token) : ({ ok: false, problem: 'invalid' } as const)
  const loggedIn = (await currentUser()) !== null
  const next = loggedIn ? { href: '/instances', label: 'Go to your dashboard' } : { href: '/login?verified=1', label: 'Log in' }

  if (result.ok) {
    return <LinkResult tone="success" title="Your email is verified" body={`Thanks — ${result.email} is confirmed. You can now create instances and API keys.`} action={next} />
  }
  if (result.problem === 'already_verified') {
    return <LinkResult tone="success" title="Your email is already verified" body="This link was used before, and your address is confirmed. Nothing else to do." action={next} />
  }
  return <LinkProblem kind="verify_email" problem={result.problem} />
}
