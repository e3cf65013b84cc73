'use client'
import { useActionState } from 'react'
import { Notice } from '@/components/ui/notice'
import { SubmitButton } from '@/components/ui/submit-button'
import { NOT_SUBMITTED } from '@/lib/actions/action-state'
import { NewPasswordField } from '../account-fields'
import { resetPasswordAction } from '../actions'

export function ResetPasswordForm({ token, passwordRule }: { token: string; passwordRule: string }) {
  const [state, action] = useActionState(resetPasswordAction, NOT_SUBMITTED)
  return (
    <form action={action} className="space-y-5" noValidate>
      {state.formError && <Notice tone="error">{state.formError}</Notice>}
      <input type="hidden" name="token" value={token} />
      <NewPasswordField label="New password" rule={passwordRule} error={state.fieldErrors?.password} />
      <SubmitButton pendingLabel="Saving…" className="w-full">
        Set new password
      </SubmitButton>
    </form>
  )
}
