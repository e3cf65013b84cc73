import 'server-only'
import { parseWith } from '@/lib/api/validation'
import { RetentionInput, type Retention } from '@/lib/retention/policy'
import { readRetention, saveRetention } from '@/lib/store/retention'

/** The account's retention in effect (defaults until it chooses). */
export async function getRetention({ ctx }: { ctx: { userId: string } }): Promise<Retention> {
  return readRetention(ctx.userId)
}

/** Sets every kind at once; outside its bounds → 400 invalid_request naming the field. Pruning follows within the hour. */
export async function changeRetention({ ctx, input }: { ctx: { userId: string }; input: unknown }): Promise<Retention> {
  const retention = parseWith(RetentionInput, input, 'body')
  await saveRetention(ctx.userId, retention)
  return retention
}
