import type { Metadata } from 'next'
import { PASSWORD_RULE } from '@/lib/api/schemas/accounts'
import { checkPasswordResetLink } from '@/lib/services/accounts/password-reset'
import { AuthHeading } from '../auth-heading'
import { LinkProblem } from '../link-result'
import { ResetPasswordForm } from './reset-password-form'

export const metadata: Metadata = { title: 'Choose a new password' }
export const dynamic = 'force-dynamic'

const PROBLEMS = ['invalid', 'expired', 'used'] as const

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { token, problem } = await searchParams
  const reported = PROBLEMS.find((p) => p === problem)
  if (reported) return <LinkProblem kind="reset_password" problem={reported} />
  const check = token ? await checkPasswordResetLink(token) : ({ ok: false, problem: 'invalid' } as const)
  if (!check.ok) return <LinkProblem kind="reset_password" problem={check.problem} />
  return (
    <>
      <AuthHeading title="Choose a new password" subtitle="After this, every other session of your account is logged out." />
      <ResetPasswordForm token={token!} passwordRule={PASSWORD_RULE} />
    </>
  )
}
