'use client'
import { useActionState, useEffect, useRef } from 'react'
import { SubmitButton } from '@/components/ui/submit-button'
import { createInstanceAction } from '../actions'

export function CreateInstanceForm({ verified, rule }: { verified: boolean; rule: string }) {
  const [state, action] = useActionState(createInstanceAction, {})
  const form = useRef<HTMLFormElement>(null)
  useEffect(() => {
    if (state.created) form.current?.reset()
  }, [state])
  const describedBy = state.error ? 'instance-name-error' : 'instance-name-hint'
  return (
    <form ref={form} action={action} className="mt-4" noValidate>
      <label htmlFor="instance-name" className="block text-sm font-medium text-slate-800">
        Instance name
      </label>
      <div className="mt-1.5 flex flex-col gap-3 sm:flex-row">
        <input
          id="instance-name"
          name="name"
          required
          disabled={!verified}
          autoComplete="off"
          spellCheck={false}
          placeholder="acme-prod"
          defaultValue={state.error ? state.name : undefined}
          key={state.created ?? state.name ?? ''}
          aria-invalid={state.error ? true : undefined}
          aria-describedby={describedBy}
          className={`block w-full rounded-lg border bg-white px-3 py-2.5 font-mono text-sm text-slate-900 placeholder:text-slate-400 focus:outline-none focus:ring-2 disabled:cursor-not-allowed disabled:bg-slate-50 sm:max-w-sm ${
            state.error ? 'border-red-400 focus:ring-red-500/20' : 'border-slate-300 focus:border-brand-600 focus:ring-brand-600/20'
          }`}
        />
        <SubmitButton pendingLabel="Creating…" disabled={!verified}>
          Create instance
        </SubmitButton>
      </div>
      {state.error ? (
        <p id="instance-name-error" className="mt-1.5 text-sm text-red-600">
          {state.error}
        </p>
      ) : (
        <p id="instance-name-hint" className="mt-1.5 text-sm text-slate-500">
          {verified ? rule : 'Verify your email to create instances.'}
        </p>
      )}
      {state.created && (
        <p role="status" className="mt-2 text-sm font-medium text-brand-700">
          Instance {state.created} created. Open it to pair a phone.
        </p>
      )}
    </form>
  )
}
