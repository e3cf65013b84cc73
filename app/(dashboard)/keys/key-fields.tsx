'use client'
import { useId, useState } from 'react'
import { Field, TextareaField } from '@/components/ui/field'
import { ChevronIcon } from '@/components/ui/icons'
import { typedList, typedText, type ActionState } from '@/lib/actions/action-state'

export const DEFAULT_RATE_LIMIT = 60

export type KeyField = 'name' | 'scope' | 'rateLimit' | 'instances' | 'cidrs'

const SCOPES = [
  { value: 'instance', label: 'Instance key', hint: 'Sends and reads through your instances and their event log; when not pinned to instances, also manages webhooks. For your servers.' },
  {
    value: 'account',
    label: 'Account key',
    hint: 'Also creates, pairs and deletes instances, mints instance keys and manages webhooks. Only this page (or the CLI) can mint one.',
  },
] as const

/** Minting only: what the key may do. A native radio group (arrow keys move, the legend names it); fixed once minted. */
export function ScopeChoice({ idPrefix, value, error }: { idPrefix: string; value: string; error?: string }) {
  const errorId = `${idPrefix}-scope-error`
  return (
    <fieldset aria-describedby={error ? errorId : undefined} aria-invalid={error ? true : undefined}>
      <legend className="text-sm font-medium text-slate-800">Scope</legend>
      <div className="mt-2 grid gap-2 sm:grid-cols-2">
        {SCOPES.map((scope) => (
          <label
            key={scope.value}
            className="flex cursor-pointer gap-2.5 rounded-lg border border-slate-200 bg-white px-3 py-2.5 text-sm hover:border-slate-300 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50/60"
          >
            <input
              type="radio"
              name="scope"
              value={scope.value}
              defaultChecked={value === scope.value}
              aria-describedby={`${idPrefix}-scope-${scope.value}-hint`}
              className="mt-0.5 size-4 accent-brand-600"
            />
            <span>
              <span className="block font-medium text-slate-800">{scope.label}</span>
              <span id={`${idPrefix}-scope-${scope.value}-hint`} className="mt-0.5 block text-[13px] text-slate-500">
                {scope.hint}
              </span>
            </span>
          </label>
        ))}
      </div>
      {error && (
        <p id={errorId} className="mt-1.5 text-sm text-red-600">
          {error}
        </p>
      )}
    </fieldset>
  )
}

/** What the fields hold: a key's settings, or what was typed before a refusal (never the plaintext). */
export type KeyFormValues = { name: string; rateLimit: string; instances: string[]; cidrs: string }

/** What to show in the fields: what was typed if the server refused it, else `initial`. */
export function keyFormValues(state: ActionState<unknown>, initial: KeyFormValues): KeyFormValues {
  if (!state.values) return initial
  return {
    name: typedText(state, 'name') ?? '',
    rateLimit: typedText(state, 'rateLimit') ?? '',
    instances: typedList(state, 'instances') ?? [],
    cidrs: typedText(state, 'cidrs') ?? '',
  }
}
const NO_ERRORS: Partial<Record<KeyField, string>> = {}

/** The limits a key carries, shared by the create and edit dialogs. */
function AdvancedFields({
  idPrefix,
  instances,
  values,
  errors,
}: {
  idPrefix: string
  instances: string[]
  values: KeyFormValues
  errors: Partial<Record<KeyField, string>>
}) {
  const instancesHint = `${idPrefix}-instances-hint`
  const instancesError = `${idPrefix}-instances-error`
  // Names pinned earlier but since deleted still show, so saving does not silently drop them.
  const choices = [...new Set([...instances, ...values.instances])]
  return (
    <div className="space-y-5">
      <Field
        id={`${idPrefix}-rate-limit`}
        name="rateLimit"
        label="Rate limit"
        type="number"
        inputMode="numeric"
        min={1}
        max={10000}
        step={1}
        defaultValue={values.rateLimit}
        error={errors.rateLimit}
        suffix="requests / minute"
        className="tabular-nums sm:max-w-xs"
        hint={
          <>
            1 to 10,000. Past it, requests get <code className="font-mono text-[13px]">429</code> with a <code className="font-mono text-[13px]">Retry-After</code> header.
          </>
        }
      />

      <fieldset aria-describedby={[errors.instances ? instancesError : null, instancesHint].filter(Boolean).join(' ')} aria-invalid={errors.instances ? true : undefined}>
        <legend className="text-sm font-medium text-slate-800">Pinned instances</legend>
        <p id={instancesHint} className="mt-1 text-sm text-slate-500">
          {choices.length > 0
            ? 'Leave all unticked to allow every instance, including ones you create later.'
            : 'You have no instances yet. The key will work with every instance you create.'}
        </p>
        {choices.length > 0 && (
          <div className="mt-2.5 grid gap-2 sm:grid-cols-2">
            {choices.map((name) => (
              <label
                key={name}
                className="flex cursor-pointer items-center gap-2.5 rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm hover:border-slate-300 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50/60"
              >
                <input
                  type="checkbox"
                  name="instances"
                  value={name}
                  defaultChecked={values.instances.includes(name)}
                  className="size-4 rounded border-slate-300 accent-brand-600"
                />
                <span className="min-w-0 truncate font-mono text-[13px] text-slate-800">{name}</span>
              </label>
            ))}
          </div>
        )}
        {errors.instances && (
          <p id={instancesError} className="mt-1.5 whitespace-pre-line text-sm text-red-600">
            {errors.instances}
          </p>
        )}
      </fieldset>

      <TextareaField
        id={`${idPrefix}-cidrs`}
        name="cidrs"
        label="IP allowlist (CIDR)"
        rows={3}
        spellCheck={false}
        autoComplete="off"
        placeholder={'203.0.113.0/24\n2001:db8::/32'}
        defaultValue={values.cidrs}
        error={errors.cidrs}
        className="font-mono text-[13px]"
        hint="One range per line or comma separated, IPv4 or IPv6. A bare address allows just that address. Leave empty to allow any IP."
      />
    </div>
  )
}

/**
 * Name plus the Advanced settings. `collapsible` (minting) hides Advanced behind a disclosure that
 * opens by itself when one of its fields was refused; editing shows everything.
 */
export function KeyFields({
  idPrefix,
  instances,
  values,
  errors = NO_ERRORS,
  collapsible,
  nonce,
}: {
  idPrefix: string
  instances: string[]
  values: KeyFormValues
  errors?: Partial<Record<KeyField, string>>
  collapsible: boolean
  /** Changes with every server answer: the fields remount and re-take `values` (React resets forms after an action). */
  nonce?: string
}) {
  const advancedHasErrors = Boolean(errors.rateLimit || errors.instances || errors.cidrs)
  const [open, setOpen] = useState(!collapsible || advancedHasErrors)
  // A refused field stops saying so once it is changed; the next answer brings fresh messages.
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set())
  const [lastErrors, setLastErrors] = useState(errors)
  if (lastErrors !== errors) {
    setLastErrors(errors)
    setEdited(new Set())
    if (advancedHasErrors && !open) setOpen(true)
  }
  const shown = Object.fromEntries(Object.entries(errors).filter(([field]) => !edited.has(field))) as typeof errors
  const panelId = useId()
  return (
    <div
      className="space-y-5"
      onChange={(event) => {
        const name = (event.target as HTMLInputElement).name
        if (name && errors[name as KeyField] && !edited.has(name)) setEdited(new Set([...edited, name]))
      }}
    >
      <Field
        key={nonce}
        id={`${idPrefix}-name`}
        name="name"
        label="Name"
        autoComplete="off"
        placeholder="Production server"
        maxLength={64}
        defaultValue={values.name}
        error={shown.name}
        hint="Where the key is used, so you know which one to revoke later."
      />
      {collapsible ? (
        <div className="rounded-xl border border-slate-200">
          <button
            type="button"
            aria-expanded={open}
            aria-controls={panelId}
            onClick={() => setOpen(!open)}
            className="flex w-full items-center justify-between gap-3 rounded-xl px-4 py-3 text-left hover:bg-slate-50"
          >
            <span>
              <span className="block text-sm font-semibold text-slate-800">Advanced</span>
              <span className="block text-[13px] text-slate-500">Rate limit, pinned instances, IP allowlist</span>
            </span>
            <ChevronIcon className={`size-5 shrink-0 text-slate-400 transition ${open ? 'rotate-180' : ''}`} />
          </button>
          <div id={panelId} hidden={!open} className="border-t border-slate-200 px-4 py-4">
            <AdvancedFields key={nonce} idPrefix={idPrefix} instances={instances} values={values} errors={shown} />
          </div>
        </div>
      ) : (
        <AdvancedFields key={nonce} idPrefix={idPrefix} instances={instances} values={values} errors={shown} />
      )}
    </div>
  )
}
