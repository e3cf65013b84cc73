import type { Metadata } from 'next'
import Link from 'next/link'
import { redirect } from 'next/navigation'
import { currentUser } from '@/lib/auth/session'
import { PASSWORD_RULE } from '@/lib/api/schemas/accounts'
import { AuthHeading } from '../auth-heading'
import { SignUpForm } from './sign-up-form'

export const metadata: Metadata = { title: 'Create your account' }

export default async function SignUpPage() {
  if (await currentUser()) redirect('/instances')
  return (
    <>
      <AuthHeading
        title="Create your account"
        subtitle={
          <>
            Already have one?{' '}
            <Link href="/login" className="font-medium text-brand-700 hover:text-brand-600">
              Log in
            </Link>
          </>
        }
      />
      <SignUpForm passwordRule={PASSWORD_RULE} />
    </>
  )
}
