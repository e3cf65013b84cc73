// The framework-free half of the server-action wrapper: reading a submitted form, and turning a
// refusal (an ApiError from a service, or the action's own validation) into what the form shows.
import { randomUUID } from 'node:crypto'
import { ApiError, type ErrorCode } from '@/lib/api/errors'
import type { ActionState, FieldErrors, TypedValues } from './action-state'

/** Fields never sent back to the browser for refilling. */
const SECRET_FIELD = /password|token|secret/i

/**
 * A submitted form as a plain object for zod: one value per name, or a list where a name repeats
 * (a checkbox group). Next's own `$ACTION_…` fields and files are left out.
 */
export function formInput(formData: FormData): Record<string, string | string[]> {
  const input: Record<string, string | string[]> = {}
  for (const name of new Set(formData.keys())) {
    if (name.startsWith('$ACTION')) continue
    const values = formData.getAll(name).filter((value): value is string => typeof value === 'string')
    // Files are not read here: no action takes one (the API's sendMedia has its own multipart reader).
    if (values.length === 0) continue
    input[name] = values.length === 1 ? values[0] : values
  }
  return input
}

/** What to refill after a refusal: everything typed except secrets. */
export function typedValues(input: unknown): TypedValues | undefined {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return undefined
  const values: TypedValues = {}
  for (const [name, value] of Object.entries(input)) {
    if (SECRET_FIELD.test(name)) continue
    if (typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'))) values[name] = value
  }
  return values
}

export type RefusalWording = {
  /** The form's field names: a detail about another field is said at the top of the form instead. */
  fields: readonly string[]
  /** How this form words a code, where the service's message would be out of context. */
  messages?: Partial<Record<ErrorCode, string>>
}

/**
 * An ApiError as the form shows it: each detail next to its field ("cidrs.1" → cidrs, several joined
 * by lines), details about no field of this form and messages without details at the top.
 */
export function refusalState(error: ApiError, wording: RefusalWording, input: unknown): ActionState<never> {
  const fieldErrors: FieldErrors = {}
  const loose: string[] = []
  for (const detail of Array.isArray(error.details) ? error.details : []) {
    const field = wording.fields.find((name) => detail.field === name || detail.field.startsWith(`${name}.`))
    if (!field) loose.push(detail.message)
    else fieldErrors[field] = fieldErrors[field] ? `${fieldErrors[field]}\n${detail.message}` : detail.message
  }
  const hasFieldErrors = Object.keys(fieldErrors).length > 0
  const formError = wording.messages?.[error.code] ?? (loose.length > 0 ? loose.join(' ') : hasFieldErrors ? undefined : error.message)
  return { ok: false, formError, fieldErrors: hasFieldErrors ? fieldErrors : undefined, values: typedValues(input), nonce: randomUUID() }
}

/** Thrown by an action to refuse in its own words (the form shows the message at the top). */
export class ActionRefusal extends Error {}

/** A refusal the action words itself (wrong password, throttled log-in). */
export function refused(formError: string, input?: unknown): ActionState<never> {
  return { ok: false, formError, values: typedValues(input), nonce: randomUUID() }
}

export function done<T>(value: T): ActionState<T> {
  return { ok: true, value, nonce: randomUUID() }
}
