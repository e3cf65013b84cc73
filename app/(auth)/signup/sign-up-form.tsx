'use client'
import { useActionState } from 'react'
import { Notice } from '@/components/ui/notice'
import { SubmitButton } from '@/components/ui/submit-button'
import { NOT_SUBMITTED, typedText } from '@/lib/actions/action-state'
import { signUpAction } from '../actions'
import { EmailField, NewPasswordField } from '../account-fields'

export function SignUpForm({ passwordRule }: { passwordRule: string }) {
  const [state, action] = useActionState(signUpAction, NOT_SUBMITTED)
  return (
    <form action={action} className="space-y-5" noValidate>
      {state.formError && <Notice tone="error">{state.formError}</Notice>}
      <EmailField label="Work email" defaultValue={typedText(state, 'email')} error={state.fieldErrors?.email} />
      <NewPasswordField label="Password" rule={passwordRule} error={state.fieldErrors?.password} />
      <SubmitButton pendingLabel="Creating account…" className="w-full">
        Create account
      </SubmitButton>
      <p className="text-xs leading-relaxed text-slate-500">We&apos;ll email you a link to verify your address before you create instances.</p>
    </form>
  )
}
