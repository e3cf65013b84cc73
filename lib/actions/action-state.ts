// What every server action answers, built by lib/actions/server-action.ts. Plain data and helpers
// only, so client components import it too.

/** Per-field messages, by the form field's name. */
export type FieldErrors = Partial<Record<string, string>>

/** What the fields held when submitted (passwords and tokens left out), to refill them after a refusal. */
export type TypedValues = Record<string, string | string[]>

type Done<T> = { ok: true; value: T; formError?: undefined; fieldErrors?: undefined; values?: undefined; nonce: string }
type Refused = { ok: false; value?: undefined; formError?: string; fieldErrors?: FieldErrors; values?: TypedValues; nonce: string }
type NotSubmitted = { ok?: undefined; value?: undefined; formError?: undefined; fieldErrors?: undefined; values?: undefined; nonce?: undefined }

/**
 * `ok: true` with the action's `value`, or `ok: false` with why (a message for the form, messages per
 * field) and what was typed; before the first answer, neither. `nonce` changes with every answer, so
 * fields keyed on it remount and re-take their refill values (React resets a form after its action).
 */
export type ActionState<T = undefined> = Done<T> | Refused | NotSubmitted

/** useActionState's initial state. */
export const NOT_SUBMITTED: NotSubmitted = {}

/** What was typed into a text field, to refill it after a refusal. */
export function typedText(state: ActionState<unknown>, field: string): string | undefined {
  const value = state.values?.[field]
  return Array.isArray(value) ? value[0] : value
}

/** Which boxes of a checkbox group were ticked, to tick them again after a refusal. */
export function typedList(state: ActionState<unknown>, field: string): string[] | undefined {
  const value = state.values?.[field]
  return value === undefined ? undefined : ([] as string[]).concat(value)
}

/** A refusal in one line, for a button with no form around it: the form-level message, else the field ones. */
export function refusalText(state: ActionState<unknown>): string | undefined {
  if (state.ok !== false) return undefined
  return state.formError ?? (Object.values(state.fieldErrors ?? {}).join(' ') || undefined)
}
