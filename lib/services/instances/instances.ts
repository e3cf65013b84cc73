import 'server-only'
import { and, asc, eq } from 'drizzle-orm'
import { db } from '@/lib/db'
import { instances } from '@/lib/db/schema'
import { ApiError } from '@/lib/api/errors'
import { CreateInstanceBody } from '@/lib/api/schemas/instances'
import { parseWith } from '@/lib/api/validation'
import { requireVerifiedEmail, type AccountContext } from '@/lib/services/accounts/users'
import type { InstanceState } from '@/lib/db/schema/instances'

export type InstanceSummary = { name: string; state: InstanceState; createdAt: string }

function summary(row: { name: string; state: InstanceState; createdAt: Date }): InstanceSummary {
  return { name: row.name, state: row.state, createdAt: row.createdAt.toISOString() }
}

/** The account's instances, oldest first. */
export async function listInstances({ ctx }: { ctx: AccountContext }): Promise<InstanceSummary[]> {
  const rows = await db
    .select({ name: instances.name, state: instances.state, createdAt: instances.createdAt })
    .from(instances)
    .where(eq(instances.userId, ctx.userId))
    .orderBy(asc(instances.createdAt), asc(instances.name))
  return rows.map(summary)
}

/**
 * Creates an instance (state `close`, not paired yet). Needs a verified email; the name is validated
 * here and unique per account by the database (409 name_taken).
 */
export async function createInstance({ ctx, input }: { ctx: AccountContext; input: { name: unknown } }): Promise<InstanceSummary> {
  requireVerifiedEmail(ctx)
  const { name } = parseWith(CreateInstanceBody, input, 'body')
  const [row] = await db
    .insert(instances)
    .values({ userId: ctx.userId, name })
    .onConflictDoNothing({ target: [instances.userId, instances.name] })
    .returning({ name: instances.name, state: instances.state, createdAt: instances.createdAt })
  if (!row) {
    throw new ApiError('name_taken', `You already have an instance named "${name}".`, [
      { field: 'name', message: `You already have an instance named "${name}".` },
    ])
  }
  return summary(row)
}

/** Deletes one of the account's instances (404 instance_not_found when it has none by that name). */
export async function deleteInstance({ ctx, input }: { ctx: AccountContext; input: { name: string } }): Promise<void> {
  const deleted = await db
    .delete(instances)
    .where(and(eq(instances.userId, ctx.userId), eq(instances.name, input.name)))
    .returning({ id: instances.id })
  if (deleted.length === 0) throw new ApiError('instance_not_found', `No instance named "${input.name}" in this account.`)
}
