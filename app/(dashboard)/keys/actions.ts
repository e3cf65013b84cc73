'use server'
import { randomUUID } from 'node:crypto'
import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { ApiError } from '@/lib/api/errors'
import { currentUser } from '@/lib/auth/session'
import { createApiKey, revokeApiKey, updateApiKey } from '@/lib/services/keys/keys'
import type { CreateKeyState, KeyField, KeyFormState, KeyFormValues, RevokeKeyState, UpdateKeyState } from './form-state'

const FIELDS: readonly KeyField[] = ['name', 'rateLimit', 'instances', 'cidrs']

async function signedInUser() {
  const user = await currentUser()
  if (!user) redirect('/login?next=/keys')
  return user
}

function readValues(formData: FormData): KeyFormValues {
  return {
    name: String(formData.get('name') ?? ''),
    rateLimit: String(formData.get('rateLimit') ?? '').trim(),
    instances: formData.getAll('instances').map(String),
    cidrs: String(formData.get('cidrs') ?? ''),
  }
}

/** "10.0.0.0/8, 192.0.2.1\n2001:db8::/32" → one entry per range; blank → none (= anywhere). */
function splitCidrs(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean)
}

/** The service's refusal as per-field messages ("cidrs.1" → cidrs); anything without a field is form-level. */
function refusal(error: ApiError, values: KeyFormValues): KeyFormState {
  const fieldErrors: Partial<Record<KeyField, string>> = {}
  const loose: string[] = []
  for (const detail of Array.isArray(error.details) ? error.details : []) {
    const field = FIELDS.find((candidate) => detail.field === candidate || detail.field.startsWith(`${candidate}.`))
    if (!field) loose.push(detail.message)
    else fieldErrors[field] = fieldErrors[field] ? `${fieldErrors[field]}\n${detail.message}` : detail.message
  }
  const hasFieldErrors = Object.keys(fieldErrors).length > 0
  const formError =
    error.code === 'email_not_verified'
      ? 'Verify your email address before creating API keys. Follow the link we emailed you, then try again.'
      : loose.length > 0
        ? loose.join(' ')
        : hasFieldErrors
          ? undefined
          : error.message
  return { fieldErrors: hasFieldErrors ? fieldErrors : undefined, formError, values, nonce: randomUUID() }
}

export async function createKeyAction(_previous: CreateKeyState, formData: FormData): Promise<CreateKeyState> {
  const user = await signedInUser()
  const values = readValues(formData)
  try {
    const { key, plaintext } = await createApiKey(user, {
      name: values.name,
      // Blank keeps the default (60 a minute); anything else is validated as typed.
      ...(values.rateLimit === '' ? {} : { rateLimit: values.rateLimit }),
      instances: values.instances,
      cidrs: splitCidrs(values.cidrs),
    })
    revalidatePath('/keys')
    return { created: { key, plaintext }, nonce: randomUUID() }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    return refusal(error, values)
  }
}

export async function updateKeyAction(_previous: UpdateKeyState, formData: FormData): Promise<UpdateKeyState> {
  const user = await signedInUser()
  const id = String(formData.get('id') ?? '')
  const values = readValues(formData)
  try {
    const saved = await updateApiKey(user, id, {
      name: values.name,
      rateLimit: values.rateLimit,
      instances: values.instances,
      cidrs: splitCidrs(values.cidrs),
    })
    revalidatePath('/keys')
    return { saved, nonce: randomUUID() }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    return refusal(error, values)
  }
}

export async function revokeKeyAction(_previous: RevokeKeyState, formData: FormData): Promise<RevokeKeyState> {
  const user = await signedInUser()
  try {
    const revoked = await revokeApiKey(user, { id: String(formData.get('id') ?? '') })
    revalidatePath('/keys')
    return { revoked }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    return { formError: error.message }
  }
}
