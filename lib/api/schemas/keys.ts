import { z } from 'zod'
import { normaliseCidr } from '@/lib/keys/cidr'

export const RATE_LIMIT_MAX = 10_000

const cidrList = z
  .array(z.string().trim().min(1))
  .max(50, 'At most 50 CIDR ranges')
  .transform((values, context) => {
    const normalised: string[] = []
    values.forEach((value, index) => {
      const cidr = normaliseCidr(value)
      if (!cidr) context.addIssue({ code: 'custom', path: [index], message: `"${value}" is not an IPv4 or IPv6 CIDR (e.g. 203.0.113.0/24 or 2001:db8::/32)` })
      else if (!normalised.includes(cidr)) normalised.push(cidr)
    })
    return normalised
  })

export const KeySettings = z.object({
  name: z.string().trim().min(1, 'Give the key a name').max(64, 'At most 64 characters'),
  rateLimit: z.coerce
    .number({ error: 'Enter a whole number of requests per minute' })
    .int('Enter a whole number of requests per minute')
    .min(1, 'At least 1 request per minute')
    .max(RATE_LIMIT_MAX, `At most ${RATE_LIMIT_MAX} requests per minute`),
  /** Instance names; empty = every instance of the account. */
  instances: z.array(z.string().trim().min(1)).max(100),
  cidrs: cidrList,
})

export const KeyScope = z
  .enum(['instance', 'account'], { error: 'The scope is "instance" or "account"' })
  .describe('`instance`: the data plane of your instances; `account`: also manages instances, webhooks and instance keys (dashboard and CLI only)')

export const CreateKeyInput = KeySettings.partial({ instances: true, cidrs: true, rateLimit: true }).extend({
  name: KeySettings.shape.name.default('Default key'),
  scope: KeyScope.default('instance'),
})
export type CreateKeyInput = z.input<typeof CreateKeyInput>

export const UpdateKeyInput = KeySettings.partial()
export type UpdateKeyInput = z.input<typeof UpdateKeyInput>

export const ApiKeySummary = z.object({
  id: z.string().uuid(),
  name: z.string(),
  prefix: z.string(),
  scope: z.enum(['instance', 'account']),
  rateLimit: z.number().int(),
  instances: z.array(z.string()),
  cidrs: z.array(z.string()),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
})
export type ApiKeySummary = z.infer<typeof ApiKeySummary>

/** POST /api/v1/keys: an account key mints instance keys only (account keys come from the dashboard or the CLI). */
export const CreateInstanceKeyBody = KeySettings.partial({ instances: true, cidrs: true, rateLimit: true })
  .extend({
    name: KeySettings.shape.name.default('Default key'),
    scope: z.literal('instance', { error: 'An account key mints instance keys only; mint account keys in the dashboard or with `sage key:create --scope account`' }).optional(),
  })
  .strict()

/** PATCH /api/v1/keys/{id} */
export const UpdateKeyBody = UpdateKeyInput.strict()

export const ApiKeyWithSecret = ApiKeySummary.extend({ key: z.string().describe('The plaintext key: shown this once, never stored') })
