import 'server-only'
import { and, asc, eq, sql } from 'drizzle-orm'
import { db } from '@/lib/db'
import { instances, whatsappAuthKeys } from '@/lib/db/schema'
import { log } from '@/lib/log'
import { ApiError } from '@/lib/api/errors'
import { CreateInstanceBody } from '@/lib/api/schemas/instances'
import { parseWith } from '@/lib/api/validation'
import { requireVerifiedEmail, type AccountContext } from '@/lib/services/accounts/users'
import type { InstanceState } from '@/lib/db/schema/instances'
import { logout, type InstanceRef } from './lifecycle'

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

/** One of the account's instances by name (404 instance_not_found for a name it has not, including another account's). */
export async function findInstance({ ctx, input }: { ctx: AccountContext; input: { name: string } }): Promise<InstanceRef> {
  const [row] = await db
    .select({ id: instances.id, name: instances.name })
    .from(instances)
    .where(and(eq(instances.userId, ctx.userId), eq(instances.name, input.name)))
    .limit(1)
  if (!row) throw new ApiError('instance_not_found', `No instance named "${input.name}" in this account.`)
  return row
}

/**
 * Deletes one of the account's instances (404 instance_not_found when it has none by that name).
 * A paired or held instance is logged out first, so the phone drops the linked device instead of
 * keeping a ghost entry under Linked devices, and no worker keeps a socket for a row that is gone.
 */
export async function deleteInstance({ ctx, input }: { ctx: AccountContext; input: { name: string } }): Promise<void> {
  const [row] = await db
    .select({
      id: instances.id,
      name: instances.name,
      workerId: instances.workerId,
      hasSession: sql<boolean>`exists (select 1 from ${whatsappAuthKeys} where ${whatsappAuthKeys.instanceId} = ${instances.id})`,
    })
    .from(instances)
    .where(and(eq(instances.userId, ctx.userId), eq(instances.name, input.name)))
    .limit(1)
  if (!row) throw new ApiError('instance_not_found', `No instance named "${input.name}" in this account.`)
  if (row.workerId || row.hasSession) {
    try {
      await logout({ id: row.id, name: row.name })
    } catch (error) {
      // The owner did not answer in time: delete anyway (the credentials go with the row, and the
      // worker drops a socket whose row is gone); the phone may list the device until it is removed there.
      if (!(error instanceof ApiError)) throw error
      log.warn({ instanceId: row.id, err: error }, 'logout before delete failed; deleting anyway')
    }
  }
  const deleted = await db
    .delete(instances)
    .where(and(eq(instances.userId, ctx.userId), eq(instances.id, row.id)))
    .returning({ id: instances.id })
  if (deleted.length === 0) throw new ApiError('instance_not_found', `No instance named "${input.name}" in this account.`)
}
