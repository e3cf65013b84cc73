/** What an auth form's server action returns: per-field messages, a form-level message, and values to refill. */
export type FormState = {
  fieldErrors?: Partial<Record<'email' | 'password' | 'name', string>>
  formError?: string
  notice?: string
  values?: { email?: string; name?: string }
}

export const EMPTY_FORM_STATE: FormState = {}

/** Only same-site paths: `//evil.example` and `/\evil` would leave the site. */
export function safeNextPath(value: unknown, fallback = '/instances'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback
  return value
}
