'use client'
import Link from 'next/link'
import { useActionState } from 'react'
import { PasswordField } from '@/components/ui/password-field'
import { Notice } from '@/components/ui/notice'
import { SubmitButton } from '@/components/ui/submit-button'
import { NOT_SUBMITTED, typedText } from '@/lib/actions/action-state'
import { logInAction } from '../actions'
import { EmailField } from '../account-fields'

export function LogInForm({ next }: { next: string }) {
  const [state, action] = useActionState(logInAction, NOT_SUBMITTED)
  return (
    <form action={action} className="space-y-5" noValidate>
      {state.formError && <Notice tone="error">{state.formError}</Notice>}
      <input type="hidden" name="next" value={next} />
      <EmailField defaultValue={typedText(state, 'email')} error={state.fieldErrors?.email} />
      <PasswordField
        label="Password"
        autoComplete="current-password"
        error={state.fieldErrors?.password}
        trailing={
          <Link href="/forgot-password" className="text-sm font-medium text-brand-700 hover:text-brand-600">
            Forgot password?
          </Link>
        }
      />
      <SubmitButton pendingLabel="Logging in…" className="w-full">
        Log in
      </SubmitButton>
    </form>
  )
}
