'use client'
import { useActionState } from 'react'
import { Field } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import { NOT_SUBMITTED, typedText } from '@/lib/actions/action-state'
import { RETENTION_BOUNDS, RETENTION_KINDS, type Retention } from '@/lib/retention/policy'
import { saveRetentionAction } from './actions'

/** One number of days per kind of data, each with its bounds and default as the hint. */
export function RetentionForm({ retention }: { retention: Retention }) {
  const [state, action] = useActionState(saveRetentionAction, NOT_SUBMITTED)
  return (
    <form action={action} noValidate className="grid grid-cols-1 gap-5 sm:grid-cols-2">
      {RETENTION_KINDS.map((kind) => {
        const bound = RETENTION_BOUNDS[kind]
        return (
          <Field
            key={`${kind}-${state.nonce ?? ''}`}
            id={`retention-${kind}`}
            name={kind}
            label={`${bound.label} (days)`}
            type="number"
            inputMode="numeric"
            min={bound.min}
            max={bound.max}
            defaultValue={typedText(state, kind) ?? String(retention[kind])}
            error={state.fieldErrors?.[kind]}
            hint={`${bound.explain} ${bound.min}–${bound.max}, default ${bound.default}.`}
            className="sm:max-w-40"
          />
        )
      })}
      <div className="sm:col-span-2">
        <SubmitButton pendingLabel="Saving…">Save retention</SubmitButton>
        {state.formError && <p className="mt-2 text-sm text-red-600">{state.formError}</p>}
        {state.ok && (
          <p role="status" className="mt-2 text-sm font-medium text-brand-700">
            {state.value}
          </p>
        )}
      </div>
    </form>
  )
}
