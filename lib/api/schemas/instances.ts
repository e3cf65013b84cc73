import { z } from 'zod'
import { INSTANCE_STATES } from '@/lib/db/schema/instances'

export const INSTANCE_NAME_RULE = 'Lowercase letters, digits and dashes, 3–40 characters, starting with a letter or digit.'

export const InstanceName = z
  .string({ error: 'Give the instance a name.' })
  .min(3, 'Use at least 3 characters.')
  .max(40, 'Use at most 40 characters.')
  .regex(/^[a-z0-9-]+$/, 'Use only lowercase letters, digits and dashes.')
  // A leading dash reads as a CLI flag (`sage … -lead`) and looks broken in paths. Only new names are
  // checked: lookups by name never go through this schema, so an existing `-lead` keeps working.
  // (A name already refused above for its characters is not refused twice.)
  .regex(/^(?:[a-z0-9]|.*[^a-z0-9-])/s, 'Start with a letter or digit, not a dash.')

/** POST /api/v1/me/instances */
export const CreateInstanceBody = z.object({ name: InstanceName })

export const InstanceSummary = z.object({
  name: z.string(),
  state: z.enum(INSTANCE_STATES),
  createdAt: z.string().describe('ISO 8601'),
})

/** GET /api/v1/me/instances */
export const InstanceList = z.object({ instances: z.array(InstanceSummary) })
