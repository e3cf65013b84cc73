'use client'
import { Field, SelectField } from '@/components/ui/field'
import type { FieldErrors } from '@/lib/actions/action-state'

export type EventOption = { name: string; description: string }
export type EndpointValues = { url: string; events: string[]; instance: string }

/** An endpoint's URL, events and instance filter: the Add dialog and the endpoint page's edit form. */
export function EndpointFields({
  idPrefix,
  values,
  onChange,
  errors,
  events,
  instances,
}: {
  idPrefix: string
  values: EndpointValues
  onChange: (change: Partial<EndpointValues>) => void
  errors: FieldErrors
  events: EventOption[]
  instances: string[]
}) {
  return (
    <>
    <Field
      id={`${idPrefix}-url`}
      label="Endpoint URL"
      type="url"
      inputMode="url"
      autoComplete="off"
      spellCheck={false}
      placeholder="https://example.com/webhooks/sage"
      value={values.url}
      onChange={(event) => onChange({ url: event.target.value })}
      error={errors.url}
      hint="HTTPS, on a public address. Answer with a 2xx within 15 seconds."
      className="font-mono"
    />

    <fieldset aria-describedby={errors.events ? `${idPrefix}-events-error` : undefined} aria-invalid={errors.events ? true : undefined}>
      <legend className="text-sm font-medium text-slate-800">Events</legend>
      {errors.events && (
        <p id={`${idPrefix}-events-error`} className="mt-1 text-sm text-red-600">
          {errors.events}
        </p>
      )}
      <div className="mt-2 grid gap-2 sm:grid-cols-2">
        {events.map((option) => (
          <label key={option.name} className="flex cursor-pointer gap-3 rounded-lg p-2.5 ring-1 ring-slate-200 hover:bg-slate-50 has-[:checked]:bg-brand-50/60 has-[:checked]:ring-brand-200">
            <input
              type="checkbox"
              name="events"
              value={option.name}
              checked={values.events.includes(option.name)}
              onChange={(event) =>
                onChange({ events: event.target.checked ? [...values.events, option.name] : values.events.filter((name) => name !== option.name) })
              }
              className="mt-0.5 size-4 shrink-0 accent-brand-600"
            />
            <span className="min-w-0">
              <span className="block break-all font-mono text-[12px] font-semibold text-slate-900">{option.name}</span>
              <span className="block text-xs text-slate-600">{option.description}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>

    <SelectField
      id={`${idPrefix}-instance`}
      label="Instance"
      value={values.instance}
      onChange={(event) => onChange({ instance: event.target.value })}
      error={errors.instance}
      className="sm:max-w-xs"
    >
      <option value="">All instances</option>
      {instances.map((name) => (
        <option key={name} value={name}>
          {name} only
        </option>
      ))}
    </SelectField>
    </>
  )
}
