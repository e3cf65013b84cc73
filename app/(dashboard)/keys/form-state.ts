import type { ApiKeySummary } from '@/lib/api/schemas/keys'

export type KeyField = 'name' | 'rateLimit' | 'instances' | 'cidrs'

/** What the fields held when submitted, to refill them after a refusal (never the plaintext). */
export type KeyFormValues = { name: string; rateLimit: string; instances: string[]; cidrs: string }

/** What a key form's server action returns: per-field messages, a form-level message, refill values, and the result. */
export type KeyFormState = {
  fieldErrors?: Partial<Record<KeyField, string>>
  formError?: string
  values?: KeyFormValues
  /** Changes on every answer, so the fields re-take their refill values. */
  nonce?: string
}

/** Minting answers once with the plaintext; the dialog holding this state is unmounted when closed. */
export type CreateKeyState = KeyFormState & { created?: { key: ApiKeySummary; plaintext: string } }
export type UpdateKeyState = KeyFormState & { saved?: ApiKeySummary }
export type RevokeKeyState = { formError?: string; revoked?: ApiKeySummary }

export const EMPTY_KEY_FORM_STATE = {}
