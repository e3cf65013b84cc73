import 'server-only'
import { forgetInstanceMedia } from '@/lib/media/files'
import { log } from '@/lib/log'
import { ApiError } from '@/lib/api/errors'
import { CreateInstanceBody } from '@/lib/api/schemas/instances'
import { parseWith } from '@/lib/api/validation'
import { requireVerifiedEmail, type AccountContext } from '@/lib/services/accounts/users'
import type { InstanceState, InstanceStatusCode } from '@/lib/instances/status-codes'
import { config } from '@/lib/config'
import { sandboxLimitError } from '@/lib/services/sandbox/limits'
import { countSandboxForAccount, deleteForAccount, findByName, hasStoredSession, insertForAccount, listForAccount, type Instance } from '@/lib/store/instances'
import { logout, type InstanceRef } from './lifecycle'
import { CHANNELS } from '@/lib/bus/channels'
import { notify } from '@/lib/bus/listener'
import { forgetInstance } from '@/lib/instances/data-plane-cache'

export type InstanceSummary = { name: string; state: InstanceState; createdAt: string }

function summary(row: { name: string; state: InstanceState; createdAt: Date }): InstanceSummary {
  return { name: row.name, state: row.state, createdAt: row.createdAt.toISOString() }
}

export type InstanceDetail = {
  name: string
  state: InstanceState
  statusCode: InstanceStatusCode
  statusReason: string | null
  phoneNumber: string | null
  pushName: string | null
  sandbox: boolean
  createdAt: string
  updatedAt: string
}

function detail(row: Instance): InstanceDetail {
  return {
    name: row.name,
    state: row.state,
    statusCode: row.statusCode,
    statusReason: row.statusReason,
    phoneNumber: row.phoneNumber,
    pushName: row.pushName,
    sandbox: row.sandbox,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

/** The account's instances with their condition, oldest first (the platform API's list). */
export async function listInstanceDetails({ ctx }: { ctx: Pick<AccountContext, 'userId'> }): Promise<InstanceDetail[]> {
  return (await listForAccount(ctx.userId)).map(detail)
}

/** One of the account's instances with its condition (404 instance_not_found otherwise). */
export async function instanceDetail({ ctx, input }: { ctx: Pick<AccountContext, 'userId'>; input: { name: string } }): Promise<InstanceDetail> {
  const row = await findByName(ctx.userId, input.name)
  if (!row) throw new ApiError('instance_not_found', `No instance named "${input.name}" in this account.`)
  return detail(row)
}

/** The account's instances, oldest first. */
export async function listInstances({ ctx }: { ctx: AccountContext }): Promise<InstanceSummary[]> {
  return (await listForAccount(ctx.userId)).map(summary)
}

/**
 * Creates an instance (state `close`, not paired yet). Needs a verified email; the name is validated
 * here and unique per account by the database (409 name_taken).
 */
export async function createInstance({ ctx, input }: { ctx: AccountContext; input: { name: unknown; sandbox?: boolean } }): Promise<InstanceSummary> {
  requireVerifiedEmail(ctx)
  const { name } = parseWith(CreateInstanceBody, { name: input.name }, 'body')
  if (input.sandbox) await requireSandboxRoom(ctx.userId)
  const row = await insertForAccount(ctx.userId, name, { sandbox: input.sandbox })
  if (!row) {
    throw new ApiError('name_taken', `You already have an instance named "${name}".`, [
      { field: 'name', message: `You already have an instance named "${name}".` },
    ])
  }
  return summary(row)
}

/** Sandboxes must be on (SANDBOX_ENABLED) and the account under its cap of sandbox instances (429 otherwise). */
async function requireSandboxRoom(userId: string): Promise<void> {
  const settings = config()
  if (!settings.SANDBOX_ENABLED) {
    throw new ApiError('invalid_request', 'Sandbox instances are turned off on this server.', [{ field: 'sandbox', message: 'Sandbox instances are turned off on this server.' }])
  }
  const max = settings.SANDBOX_MAX_INSTANCES
  if ((await countSandboxForAccount(userId)) >= max) throw sandboxLimitError('sandbox_instances', max, `An account has at most ${max} sandbox instances; delete one first.`)
}

/** One of the account's instances by name (404 instance_not_found for a name it has not, including another account's). */
export async function findInstance({ ctx, input }: { ctx: Pick<AccountContext, 'userId'>; input: { name: string } }): Promise<InstanceRef & { sandbox: boolean }> {
  const row = await findByName(ctx.userId, input.name)
  if (!row) throw new ApiError('instance_not_found', `No instance named "${input.name}" in this account.`)
  return { id: row.id, name: row.name, sandbox: row.sandbox }
}

/**
 * Deletes one of the account's instances (404 instance_not_found when it has none by that name).
 * A paired or held instance is logged out first, so the phone drops the linked device instead of
 * keeping a ghost entry under Linked devices, and no worker keeps a socket for a row that is gone.
 */
export async function deleteInstance({ ctx, input }: { ctx: Pick<AccountContext, 'userId'>; input: { name: string } }): Promise<void> {
  const row = await findByName(ctx.userId, input.name)
  if (!row) throw new ApiError('instance_not_found', `No instance named "${input.name}" in this account.`)
  if (row.workerId || (await hasStoredSession(row.id))) {
    try {
      await logout({ id: row.id, name: row.name })
    } catch (error) {
      // The owner did not answer in time: delete anyway (the credentials go with the row, and the
      // worker drops a socket whose row is gone); the phone may list the device until it is removed there.
      if (!(error instanceof ApiError)) throw error
      log.warn({ instanceId: row.id, err: error }, 'logout before delete failed; deleting anyway')
    }
  }
  if (!(await deleteForAccount(ctx.userId, row.id))) throw new ApiError('instance_not_found', `No instance named "${input.name}" in this account.`)
  // The data plane caches instances (lib/instances/data-plane-cache.ts): this process forgets it now,
  // the others when the notification arrives.
  forgetInstance(row.id)
  await notify(CHANNELS.instanceChanged, row.id)
  await forgetInstanceMedia(ctx.userId, row.id)
}
