import type { Metadata } from 'next'
import Link from 'next/link'
import { AuthHeading } from '../auth-heading'
import { ForgotPasswordForm } from './forgot-password-form'

export const metadata: Metadata = { title: 'Reset your password' }

export default function ForgotPasswordPage() {
  return (
    <>
      <AuthHeading title="Reset your password" subtitle="Enter the email of your account and we'll send you a link to choose a new password." />
      <ForgotPasswordForm />
      <p className="mt-8 text-sm text-slate-600">
        Remembered it?{' '}
        <Link href="/login" className="font-medium text-brand-700 hover:text-brand-600">
          Back to log in
        </Link>
      </p>
    </>
  )
}
