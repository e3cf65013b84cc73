'use client'
import { useActionState } from 'react'
import { Field } from '@/components/ui/field'
import { Notice } from '@/components/ui/notice'
import { SubmitButton } from '@/components/ui/submit-button'
import { resetPasswordAction } from '../actions'
import { EMPTY_FORM_STATE } from '../form-state'

export function ResetPasswordForm({ token, passwordRule }: { token: string; passwordRule: string }) {
  const [state, action] = useActionState(resetPasswordAction, EMPTY_FORM_STATE)
  return (
    <form action={action} className="space-y-5" noValidate>
      {state.formError && <Notice tone="error">{state.formError}</Notice>}
      <input type="hidden" name="token" value={token} />
      <Field
        id="password"
        name="password"
        type="password"
        label="New password"
        autoComplete="new-password"
        required
        hint={passwordRule}
        error={state.fieldErrors?.password}
      />
      <SubmitButton pendingLabel="Saving…" className="w-full">
        Set new password
      </SubmitButton>
    </form>
  )
}
