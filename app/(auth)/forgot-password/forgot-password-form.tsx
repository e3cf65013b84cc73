'use client'
import { useActionState } from 'react'
import { Field } from '@/components/ui/field'
import { Notice } from '@/components/ui/notice'
import { SubmitButton } from '@/components/ui/submit-button'
import { forgotPasswordAction } from '../actions'
import { EMPTY_FORM_STATE } from '../form-state'

export function ForgotPasswordForm() {
  const [state, action] = useActionState(forgotPasswordAction, EMPTY_FORM_STATE)
  return (
    <form action={action} className="space-y-5" noValidate>
      {state.notice && <Notice tone="success">{state.notice}</Notice>}
      <Field
        id="email"
        name="email"
        type="email"
        label="Email"
        autoComplete="email"
        placeholder="you@company.com"
        required
        defaultValue={state.values?.email}
        error={state.fieldErrors?.email}
      />
      <SubmitButton pendingLabel="Sending link…" className="w-full">
        Send reset link
      </SubmitButton>
    </form>
  )
}
