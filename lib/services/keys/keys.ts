import 'server-only'
import * as apiKeys from '@/lib/store/api-keys'
import { identifiedAmong, namedAmong } from '@/lib/store/instances'
import { findUserById } from '@/lib/services/accounts/users'
import { ApiError } from '@/lib/api/errors'
import { parseWith } from '@/lib/api/validation'
import { mintKey } from '@/lib/keys/format'
import { CreateKeyInput, UpdateKeyInput, type ApiKeySummary } from '@/lib/api/schemas/keys'

/** Who is acting: every query below is scoped by this account, in the query itself. */
export type AccountContext = { userId: string }

async function requireVerifiedAccount(ctx: AccountContext): Promise<void> {
  const user = await findUserById(ctx.userId)
  if (!user) throw new ApiError('unauthorized')
  if (!user.emailVerifiedAt) throw new ApiError('email_not_verified', 'Verify your email address before minting API keys.')
}

async function instanceIdsByName(ctx: AccountContext, names: string[]): Promise<string[]> {
  if (names.length === 0) return []
  const unique = [...new Set(names)]
  const rows = await namedAmong(ctx.userId, unique)
  const missing = unique.filter((name) => !rows.some((row) => row.name === name))
  if (missing.length > 0) {
    throw new ApiError('invalid_request', 'Unknown instances.', missing.map((name) => ({ field: 'instances', message: `No instance named "${name}" in your account` })))
  }
  return rows.map((row) => row.id)
}

async function toSummaries(ctx: AccountContext, rows: apiKeys.ApiKey[]): Promise<ApiKeySummary[]> {
  const ids = [...new Set(rows.flatMap((row) => row.pinnedInstanceIds))]
  const names = ids.length ? await identifiedAmong(ctx.userId, ids) : []
  const nameOf = new Map(names.map((row) => [row.id, row.name]))
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scope: row.scope,
    rateLimit: row.rateLimit,
    instances: row.pinnedInstanceIds.map((id) => nameOf.get(id)).filter((name): name is string => Boolean(name)),
    cidrs: row.cidrs,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  }))
}

/** Mints a key. The plaintext is returned once, here, and never stored. */
export async function createApiKey(ctx: AccountContext, rawInput: CreateKeyInput): Promise<{ key: ApiKeySummary; plaintext: string }> {
  const input = parseWith(CreateKeyInput, rawInput, 'body')
  await requireVerifiedAccount(ctx)
  const pinnedInstanceIds = await instanceIdsByName(ctx, input.instances ?? [])
  const minted = mintKey()
  const row = await apiKeys.insertKey({
    userId: ctx.userId,
    name: input.name,
    prefix: minted.prefix,
    hash: minted.hash,
    scope: input.scope,
    rateLimit: input.rateLimit ?? 60,
    pinnedInstanceIds,
    cidrs: input.cidrs ?? [],
  })
  const [key] = await toSummaries(ctx, [row])
  return { key, plaintext: minted.plaintext }
}

export async function listApiKeys(ctx: AccountContext, options: { includeRevoked?: boolean } = {}): Promise<ApiKeySummary[]> {
  return toSummaries(ctx, await apiKeys.listForAccount(ctx.userId, { includeRevoked: Boolean(options.includeRevoked) }))
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function requireKeyId(keyId: string): void {
  if (!UUID.test(keyId)) throw new ApiError('not_found', 'No API key with this id in your account.')
}

/** One key of the account by id (404 not_found otherwise, revoked ones included). */
export async function getApiKey(ctx: AccountContext, keyId: string): Promise<ApiKeySummary> {
  requireKeyId(keyId)
  const [row] = await apiKeys.findBySelector(ctx.userId, { id: keyId })
  if (!row) throw new ApiError('not_found', 'No API key with this id in your account.')
  const [key] = await toSummaries(ctx, [row])
  return key
}

/**
 * The key API's view: what an account key may touch. It manages instance keys only, so an account
 * key (itself included) is invisible to it: 404, as for another account's key.
 */
export async function requireInstanceKey(ctx: AccountContext, keyId: string): Promise<ApiKeySummary> {
  const key = await getApiKey(ctx, keyId)
  if (key.scope !== 'instance') throw new ApiError('not_found', 'No instance key with this id in your account.')
  return key
}

export async function updateApiKey(ctx: AccountContext, keyId: string, rawInput: UpdateKeyInput): Promise<ApiKeySummary> {
  requireKeyId(keyId)
  const input = parseWith(UpdateKeyInput, rawInput, 'body')
  const row = await apiKeys.updateActive(ctx.userId, keyId, {
    name: input.name,
    rateLimit: input.rateLimit,
    cidrs: input.cidrs,
    pinnedInstanceIds: input.instances !== undefined ? await instanceIdsByName(ctx, input.instances) : undefined,
  })
  if (!row) throw new ApiError('not_found', 'No active API key with this id in your account.')
  const [key] = await toSummaries(ctx, [row])
  return key
}

/** Revokes by id or by display prefix (the CLI's handle). Revoking twice is not an error. */
export async function revokeApiKey(ctx: AccountContext, selector: { id: string } | { prefix: string }): Promise<ApiKeySummary> {
  if ('id' in selector) requireKeyId(selector.id)
  const candidates = await apiKeys.findBySelector(ctx.userId, selector)
  if (candidates.length === 0) throw new ApiError('not_found', 'No API key with this id or prefix in your account.')
  if (candidates.length > 1) throw new ApiError('invalid_request', 'Several keys share this prefix; revoke by id instead.')
  const row = await apiKeys.revoke(ctx.userId, candidates[0].id)
  if (!row) throw new ApiError('not_found', 'No API key with this id or prefix in your account.')
  const [key] = await toSummaries(ctx, [row])
  return key
}
