'use client'
import { useActionState } from 'react'
import { Field } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import { signUpAction } from '../actions'
import { EMPTY_FORM_STATE } from '../form-state'

export function SignUpForm({ passwordRule }: { passwordRule: string }) {
  const [state, action] = useActionState(signUpAction, EMPTY_FORM_STATE)
  return (
    <form action={action} className="space-y-5" noValidate>
      <Field
        id="email"
        name="email"
        type="email"
        label="Work email"
        autoComplete="email"
        placeholder="you@company.com"
        required
        defaultValue={state.values?.email}
        error={state.fieldErrors?.email}
      />
      <Field
        id="password"
        name="password"
        type="password"
        label="Password"
        autoComplete="new-password"
        required
        hint={passwordRule}
        error={state.fieldErrors?.password}
      />
      <SubmitButton pendingLabel="Creating account…" className="w-full">
        Create account
      </SubmitButton>
      <p className="text-xs leading-relaxed text-slate-500">We&apos;ll email you a link to verify your address before you create instances.</p>
    </form>
  )
}
