import 'server-only'
import { dateOrNull, sqlClient } from './sql'

/**
 * The `api_keys` table. Keys are stored only as a SHA-256 hash plus a display prefix; a revoked key
 * stays (for the dashboard's history) but never verifies again. Every customer-facing statement is
 * scoped by account id in the query itself.
 */
export const KEY_SCOPES = ['instance', 'account'] as const
/** `instance`: the data plane of the account's instances; `account`: also instances, webhooks and instance keys. */
export type KeyScope = (typeof KEY_SCOPES)[number]

export type ApiKey = {
  id: string
  userId: string
  name: string
  prefix: string
  scope: KeyScope
  rateLimit: number
  pinnedInstanceIds: string[]
  cidrs: string[]
  createdAt: Date
  lastUsedAt: Date | null
  revokedAt: Date | null
}

/** What the data plane needs of a key on every request. */
export type ActiveKey = Pick<ApiKey, 'id' | 'userId' | 'prefix' | 'scope' | 'rateLimit' | 'pinnedInstanceIds' | 'cidrs'>


function toApiKey(row: Record<string, unknown>): ApiKey {
  return {
    id: row.id as string,
    userId: row.user_id as string,
    name: row.name as string,
    prefix: row.prefix as string,
    scope: row.scope as KeyScope,
    rateLimit: Number(row.rate_limit),
    pinnedInstanceIds: (row.pinned_instance_ids as string[] | null) ?? [],
    cidrs: (row.cidrs as string[] | null) ?? [],
    createdAt: new Date(row.created_at as string),
    lastUsedAt: dateOrNull(row.last_used_at),
    revokedAt: dateOrNull(row.revoked_at),
  }
}

const COLUMNS = 'id, user_id, name, prefix, scope, rate_limit, pinned_instance_ids, cidrs, created_at, last_used_at, revoked_at'

/** The hot path's lookup: an active key by the hash of its plaintext. */
export async function findActiveByHash(hash: string): Promise<ActiveKey | undefined> {
  const [row] = await sqlClient()`
    select id, user_id, prefix, scope, rate_limit, pinned_instance_ids, cidrs from api_keys where hash = ${hash} and revoked_at is null`
  return row ? toActiveKey(row) : undefined
}

function toActiveKey(row: Record<string, any>): ActiveKey {
  return { id: row.id, userId: row.user_id, prefix: row.prefix, scope: row.scope, rateLimit: Number(row.rate_limit), pinnedInstanceIds: row.pinned_instance_ids ?? [], cidrs: row.cidrs ?? [] }
}

/** The active key with this id (an event-stream ticket names the key it was minted with). */
export async function findActiveById(id: string): Promise<ActiveKey | undefined> {
  const [row] = await sqlClient()`
    select id, user_id, prefix, scope, rate_limit, pinned_instance_ids, cidrs from api_keys where id = ${id} and revoked_at is null`
  return row ? toActiveKey(row) : undefined
}

/**
 * Hashes of the keys created since `since` (all, when null) and not revoked, with the newest
 * creation time seen: the failed-key limiter's in-memory list of keys that exist.
 */
export async function activeHashesCreatedSince(since: Date | null): Promise<{ hashes: string[]; newest: Date | null }> {
  const rows = await sqlClient()`
    select hash, created_at from api_keys
    where revoked_at is null ${since ? sqlClient()`and created_at > ${since}` : sqlClient()``}`
  let newest: Date | null = null
  for (const row of rows) if (!newest || row.created_at > newest) newest = row.created_at as Date
  return { hashes: rows.map((row) => row.hash as string), newest }
}

export async function insertKey(key: { userId: string; name: string; prefix: string; hash: string; scope: KeyScope; rateLimit: number; pinnedInstanceIds: string[]; cidrs: string[] }): Promise<ApiKey> {
  const sql = sqlClient()
  const [row] = await sql`
    insert into api_keys (user_id, name, prefix, hash, scope, rate_limit, pinned_instance_ids, cidrs)
    values (${key.userId}, ${key.name}, ${key.prefix}, ${key.hash}, ${key.scope}, ${key.rateLimit}, ${key.pinnedInstanceIds}::uuid[], ${key.cidrs}::text[])
    returning ${sql.unsafe(COLUMNS)}`
  return toApiKey(row)
}

/** The account's keys, newest first. */
export async function listForAccount(userId: string, options: { includeRevoked: boolean }): Promise<ApiKey[]> {
  const sql = sqlClient()
  const rows = await sql`
    select ${sql.unsafe(COLUMNS)} from api_keys
    where user_id = ${userId} and (${options.includeRevoked} or revoked_at is null)
    order by created_at desc`
  return rows.map(toApiKey)
}

/** Edits an active key of the account; undefined when it has none by that id. */
export async function updateActive(
  userId: string,
  keyId: string,
  changes: { name?: string; rateLimit?: number; cidrs?: string[]; pinnedInstanceIds?: string[] },
): Promise<ApiKey | undefined> {
  const sql = sqlClient()
  const [row] = await sql`
    update api_keys set
      name = coalesce(${changes.name ?? null}, name),
      rate_limit = coalesce(${changes.rateLimit ?? null}::int, rate_limit),
      cidrs = coalesce(${changes.cidrs ?? null}::text[], cidrs),
      pinned_instance_ids = coalesce(${changes.pinnedInstanceIds ?? null}::uuid[], pinned_instance_ids),
      updated_at = now()
    where id = ${keyId} and user_id = ${userId} and revoked_at is null
    returning ${sql.unsafe(COLUMNS)}`
  return row ? toApiKey(row) : undefined
}

/** The account's keys matching an id or a display prefix (the CLI's handle). */
export async function findBySelector(userId: string, selector: { id: string } | { prefix: string }): Promise<ApiKey[]> {
  const sql = sqlClient()
  const rows =
    'id' in selector
      ? await sql`select ${sql.unsafe(COLUMNS)} from api_keys where user_id = ${userId} and id = ${selector.id}`
      : await sql`select ${sql.unsafe(COLUMNS)} from api_keys where user_id = ${userId} and prefix = ${selector.prefix}`
  return rows.map(toApiKey)
}

/** Revokes a key of the account; revoking twice keeps the first time. */
export async function revoke(userId: string, keyId: string): Promise<ApiKey | undefined> {
  const sql = sqlClient()
  const [row] = await sql`
    update api_keys set revoked_at = coalesce(revoked_at, now()) where id = ${keyId} and user_id = ${userId}
    returning ${sql.unsafe(COLUMNS)}`
  return row ? toApiKey(row) : undefined
}

/** "Last used", batched: the newest time per key, never moving backwards. */
export async function recordLastUsed(batch: { id: string; at: Date }[]): Promise<void> {
  await sqlClient()`
    update api_keys set last_used_at = greatest(coalesce(api_keys.last_used_at, 'epoch'), used.at)
    from (select unnest(${batch.map((entry) => entry.id)}::uuid[]) as id, unnest(${batch.map((entry) => entry.at.toISOString())}::text[])::timestamptz as at) as used
    where api_keys.id = used.id`
}
