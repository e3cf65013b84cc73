import type { Metadata } from 'next'
import Link from 'next/link'
import { redirect } from 'next/navigation'
import { currentUser } from '@/lib/auth/session'
import { Notice } from '@/components/ui/notice'
import { AuthHeading } from '../auth-heading'
import { safeNextPath } from '../next-path'
import { LogInForm } from './log-in-form'

export const metadata: Metadata = { title: 'Log in' }

export default async function LogInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams
  const next = safeNextPath(params.next)
  if (await currentUser()) redirect(next)
  return (
    <>
      <AuthHeading
        title="Log in to SAGE-API"
        subtitle={
          <>
            New here?{' '}
            <Link href="/signup" className="font-medium text-brand-700 hover:text-brand-600">
              Create an account
            </Link>
          </>
        }
      />
      {params.reset === '1' && (
        <div className="mb-6">
          <Notice tone="success">Your password has been changed and every other session was logged out. Log in with the new password.</Notice>
        </div>
      )}
      {params.verified === '1' && (
        <div className="mb-6">
          <Notice tone="success">Your email is verified. Log in to continue.</Notice>
        </div>
      )}
      {params.deleted === '1' && (
        <div className="mb-6">
          <Notice tone="success">Your account and all its data are deleted. We sent a confirmation to your email.</Notice>
        </div>
      )}
      <LogInForm next={next} />
    </>
  )
}
