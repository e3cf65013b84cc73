'use client'
import { useActionState } from 'react'
import { Field } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import { NOT_SUBMITTED, typedText } from '@/lib/actions/action-state'
import { createInstanceAction } from '../actions'

export function CreateInstanceForm({ verified, rule }: { verified: boolean; rule: string }) {
  const [state, action] = useActionState(createInstanceAction, NOT_SUBMITTED)
  return (
    <form action={action} className="mt-4" noValidate>
      <Field
        id="instance-name"
        name="name"
        label="Instance name"
        required
        disabled={!verified}
        autoComplete="off"
        spellCheck={false}
        placeholder="acme-prod"
        // After a refusal the name comes back to be corrected; after a success the field is empty again.
        defaultValue={typedText(state, 'name')}
        key={state.nonce}
        error={state.fieldErrors?.name ?? state.formError}
        hint={verified ? rule : 'Verify your email to create instances.'}
        className="font-mono sm:max-w-sm"
        beside={
          <SubmitButton pendingLabel="Creating…" disabled={!verified}>
            Create instance
          </SubmitButton>
        }
      />
      <label className="mt-3 flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" name="sandbox" disabled={!verified} className="h-4 w-4 rounded border-slate-300" />
        Sandbox — a simulated WhatsApp for tests: its phone links itself, nothing reaches real phones
      </label>
      {state.ok && (
        <p role="status" className="mt-2 text-sm font-medium text-brand-700">
          Instance {state.value} created. Open it to pair a phone.
        </p>
      )}
    </form>
  )
}
