'use client'
import { useActionState } from 'react'
import { Field } from '@/components/ui/field'
import { PasswordField } from '@/components/ui/password-field'
import { SubmitButton } from '@/components/ui/submit-button'
import { NOT_SUBMITTED, typedText } from '@/lib/actions/action-state'
import { deleteAccountAction } from './actions'

/** The account's email typed again and its password: deleting everything is never one careless click. */
export function DeleteAccountForm({ email }: { email: string }) {
  const [state, action] = useActionState(deleteAccountAction, NOT_SUBMITTED)
  return (
    <form action={action} noValidate className="grid max-w-md grid-cols-1 gap-4">
      <Field
        key={state.nonce}
        id="delete-email"
        name="email"
        label={
          <>
            Type <span className="font-mono">{email}</span> to confirm
          </>
        }
        autoComplete="off"
        spellCheck={false}
        defaultValue={typedText(state, 'email')}
        error={state.fieldErrors?.email}
      />
      <PasswordField id="delete-password" name="password" label="Your password" autoComplete="current-password" error={state.fieldErrors?.password} />
      {state.formError && (
        <p role="alert" className="text-sm text-red-600">
          {state.formError}
        </p>
      )}
      <div>
        <SubmitButton variant="danger" pendingLabel="Deleting…">
          Delete account and all its data
        </SubmitButton>
      </div>
    </form>
  )
}
