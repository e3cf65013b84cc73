'use server'
import { z } from 'zod'
import { checkedList, formAction, serverAction } from '@/lib/actions/server-action'
import { createApiKey, revokeApiKey, updateApiKey } from '@/lib/services/keys/keys'

/** The create and edit dialogs' fields, as typed (the service validates and says what is wrong per field). */
const KeyForm = z.object({
  name: z.string().default(''),
  scope: z.string().default('instance'),
  rateLimit: z.string().trim().default(''),
  instances: checkedList,
  cidrs: z.string().default(''),
})

const KEY_REFUSALS = {
  messages: { email_not_verified: 'Verify your email address before creating API keys. Follow the link we emailed you, then try again.' },
  revalidate: '/keys',
}

/** "10.0.0.0/8, 192.0.2.1\n2001:db8::/32" → one entry per range; blank → none (= anywhere). */
function splitCidrs(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean)
}

/** Minting answers once with the plaintext; the dialog holding it is unmounted when closed. */
export const createKeyAction = formAction({ input: KeyForm, ...KEY_REFUSALS }, async ({ user, input }) =>
  createApiKey(user, {
    name: input.name,
    // The service refuses anything but "instance" and "account", per field.
    scope: input.scope as 'instance' | 'account',
    // Blank keeps the default (60 a minute); anything else is validated as typed.
    ...(input.rateLimit === '' ? {} : { rateLimit: input.rateLimit }),
    instances: input.instances,
    cidrs: splitCidrs(input.cidrs),
  }),
)

export const updateKeyAction = formAction({ input: KeyForm.extend({ id: z.string() }), ...KEY_REFUSALS }, async ({ user, input }) =>
  updateApiKey(user, input.id, { name: input.name, rateLimit: input.rateLimit, instances: input.instances, cidrs: splitCidrs(input.cidrs) }),
)

export const revokeKeyAction = serverAction({ input: z.object({ id: z.string() }), revalidate: '/keys' }, async ({ user, input }) =>
  revokeApiKey(user, { id: input.id }),
)
