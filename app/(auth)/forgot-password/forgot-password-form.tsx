'use client'
import { useActionState } from 'react'
import { Notice } from '@/components/ui/notice'
import { SubmitButton } from '@/components/ui/submit-button'
import { NOT_SUBMITTED, typedText } from '@/lib/actions/action-state'
import { forgotPasswordAction } from '../actions'
import { EmailField } from '../account-fields'

export function ForgotPasswordForm() {
  const [state, action] = useActionState(forgotPasswordAction, NOT_SUBMITTED)
  return (
    <form action={action} className="space-y-5" noValidate>
      {state.value && <Notice tone="success">{state.value.notice}</Notice>}
      {state.formError && <Notice tone="error">{state.formError}</Notice>}
      <EmailField defaultValue={state.value?.email ?? typedText(state, 'email')} error={state.fieldErrors?.email} />
      <SubmitButton pendingLabel="Sending link…" className="w-full">
        Send reset link
      </SubmitButton>
    </form>
  )
}
