import 'server-only'
import type { EventType } from '@/lib/events/types'
import { dateOrNull, sqlClient, type Executor } from './sql'

/**
 * The `webhook_endpoints` table: its one row type and every statement on it. State rules kept here:
 *
 * - Every statement a customer can reach names the account (`user_id`) in its own `where`.
 * - Signing secrets are stored sealed; the row type never carries them. A rotation moves the current
 *   secret to `previous_secret`, which keeps signing beside the new one for PREVIOUS_SECRET_OVERLAP_MS
 *   and is never handed out after that.
 * - The failing streak: `failing_since` is the first failure since the last success (any success
 *   ends it); an enabled endpoint whose streak is older than `disableAfterMs` is disabled, once, with
 *   a reason. Enabling an endpoint by hand starts a fresh streak; enabling or disabling it by hand
 *   clears the automatic reason.
 */
export type Endpoint = {
  id: string
  userId: string
  url: string
  events: EventType[]
  /** Only this instance's events; null for every instance of the account. */
  instanceId: string | null
  instanceName: string | null
  enabled: boolean
  disabledReason: string | null
  failingSince: Date | null
  previousSecretExpiresAt: Date | null
  createdAt: Date
  updatedAt: Date
}

/** After a rotation the old secret keeps signing (X-Sage-Signature-Previous) for this long. */
export const PREVIOUS_SECRET_OVERLAP_MS = 24 * 3600 * 1000

function toEndpoint(row: Record<string, unknown>): Endpoint {
  return {
    id: row.id as string,
    userId: row.user_id as string,
    url: row.url as string,
    events: row.events as EventType[],
    instanceId: (row.instance_id as string | null) ?? null,
    instanceName: (row.instance_name as string | null) ?? null,
    enabled: Boolean(row.enabled),
    disabledReason: (row.disabled_reason as string | null) ?? null,
    failingSince: dateOrNull(row.failing_since),
    previousSecretExpiresAt: dateOrNull(row.previous_secret_expires_at),
    createdAt: new Date(row.created_at as string),
    updatedAt: new Date(row.updated_at as string),
  }
}

// `e` is the endpoint row (the table, or a data-modifying CTE's result of the same name).
const COLUMNS = `
  e.id, e.user_id, e.url, e.events, e.instance_id, i.name as instance_name, e.enabled, e.disabled_reason,
  e.failing_since, e.previous_secret_expires_at, e.created_at, e.updated_at`
const WITH_INSTANCE_NAME = 'left join instances i on i.id = e.instance_id and i.user_id = e.user_id'

// ---------------------------------------------------------------- reads, scoped to an account

/** The account's endpoints, oldest first. */
export async function listEndpoints(userId: string): Promise<Endpoint[]> {
  const sql = sqlClient()
  const rows = await sql`
    select ${sql.unsafe(COLUMNS)} from webhook_endpoints e ${sql.unsafe(WITH_INSTANCE_NAME)}
    where e.user_id = ${userId} order by e.created_at, e.id`
  return rows.map(toEndpoint)
}

export async function findEndpoint(userId: string, id: string): Promise<Endpoint | undefined> {
  const sql = sqlClient()
  const [row] = await sql`
    select ${sql.unsafe(COLUMNS)} from webhook_endpoints e ${sql.unsafe(WITH_INSTANCE_NAME)}
    where e.user_id = ${userId} and e.id = ${id}`
  return row ? toEndpoint(row) : undefined
}

export async function countEndpoints(userId: string): Promise<number> {
  const [row] = await sqlClient()`select count(*)::int as total from webhook_endpoints where user_id = ${userId}`
  return Number(row.total)
}

/** The sealed signing secret, for its owner only. */
export async function sealedSecretOf(userId: string, id: string): Promise<Buffer | undefined> {
  const [row] = await sqlClient()`select secret from webhook_endpoints where user_id = ${userId} and id = ${id}`
  return row?.secret
}

// ---------------------------------------------------------------- account writes

/** The id is chosen by the caller, because the secret is sealed bound to it. */
export async function insertEndpoint(
  userId: string,
  endpoint: { id: string; url: string; events: EventType[]; instanceId: string | null; sealedSecret: Buffer; enabled: boolean },
): Promise<Endpoint> {
  const sql = sqlClient()
  const [row] = await sql`
    with e as (
      insert into webhook_endpoints (id, user_id, url, events, instance_id, secret, enabled)
      values (${endpoint.id}, ${userId}, ${endpoint.url}, ${endpoint.events}, ${endpoint.instanceId}, ${endpoint.sealedSecret}, ${endpoint.enabled})
      returning *)
    select ${sql.unsafe(COLUMNS)} from e ${sql.unsafe(WITH_INSTANCE_NAME)}`
  return toEndpoint(row)
}

export type EndpointChange = { url?: string; events?: EventType[]; instanceId?: string | null; enabled?: boolean }

/** Applies the owner's change; undefined when the account has no such endpoint. */
export async function updateEndpoint(userId: string, id: string, change: EndpointChange): Promise<Endpoint | undefined> {
  const sql = sqlClient()
  const columns: Record<string, unknown> = { updated_at: sql`now()` }
  if (change.url !== undefined) columns.url = change.url
  if (change.events !== undefined) columns.events = change.events
  if (change.instanceId !== undefined) columns.instance_id = change.instanceId
  if (change.enabled !== undefined) {
    columns.enabled = change.enabled
    // Turning it back on starts a fresh streak; turning it off is the user's own reason.
    columns.disabled_reason = null
    if (change.enabled) columns.failing_since = null
  }
  const [row] = await sql`
    with e as (
      update webhook_endpoints set ${sql(columns)}
      where id = ${id} and user_id = ${userId}
      returning *)
    select ${sql.unsafe(COLUMNS)} from e ${sql.unsafe(WITH_INSTANCE_NAME)}`
  return row ? toEndpoint(row) : undefined
}

/** Deletes the endpoint with its delivery log (cascade); false when the account has no such endpoint. */
export async function deleteEndpoint(userId: string, id: string): Promise<boolean> {
  const rows = await sqlClient()`delete from webhook_endpoints where id = ${id} and user_id = ${userId} returning id`
  return rows.length > 0
}

/** The new sealed secret signs from now on; the current one becomes the previous, for the overlap. */
export async function rotateSecret(userId: string, id: string, sealedSecret: Buffer): Promise<Endpoint | undefined> {
  const sql = sqlClient()
  const [row] = await sql`
    with e as (
      update webhook_endpoints
      set previous_secret = secret,
          previous_secret_expires_at = now() + ${PREVIOUS_SECRET_OVERLAP_MS} * interval '1 millisecond',
          secret = ${sealedSecret}, updated_at = now()
      where id = ${id} and user_id = ${userId}
      returning *)
    select ${sql.unsafe(COLUMNS)} from e ${sql.unsafe(WITH_INSTANCE_NAME)}`
  return row ? toEndpoint(row) : undefined
}

// ---------------------------------------------------------------- dispatcher: the failing streak

/** An endpoint the dispatcher just disabled, with what its owner's email needs. */
export type DisabledEndpoint = { url: string; ownerEmail: string; failingSinceUtc: string }

/**
 * What a batch of attempts, applied one after the other, does to each endpoint's streak: a failure
 * before the batch's first success of that endpoint extends the streak it had (and may disable it);
 * any success ends it; a failure after the last success starts a new one now.
 */
export function failingStreakChanges(attempts: { endpointId: string; ok: boolean }[]): { extend: string[]; settle: { id: string; restart: boolean }[] } {
  const seen = new Map<string, { extend: boolean; succeeded: boolean; restart: boolean }>()
  for (const { endpointId, ok } of attempts) {
    const state = seen.get(endpointId) ?? { extend: false, succeeded: false, restart: false }
    if (ok) Object.assign(state, { succeeded: true, restart: false })
    else if (state.succeeded) state.restart = true
    else state.extend = true
    seen.set(endpointId, state)
  }
  const entries = [...seen.entries()]
  return {
    extend: entries.filter(([, state]) => state.extend).map(([id]) => id),
    settle: entries.filter(([, state]) => state.succeeded).map(([id, state]) => ({ id, restart: state.restart })),
  }
}

/**
 * The streak part of the statement that logs attempts (a data-modifying CTE's body): ends the
 * streak of every endpoint with a success, or restarts it now after a later failure. Writes no row
 * whose streak is already over.
 */
export function settleFailingStreaksSql(sql: Executor, settle: { id: string; restart: boolean }[]) {
  if (settle.length === 0) return sql`select 1 where false`
  return sql`
    update webhook_endpoints e set failing_since = case when x.restart then now() end
    from json_to_recordset(${sql.json(settle as never)}::json) as x(id uuid, restart boolean)
    where e.id = x.id and (x.restart or e.failing_since is not null)
    returning 1`
}

/**
 * Inside the transaction that logs failed attempts: each endpoint's streak starts (or goes on), and
 * an enabled endpoint failing for longer than `disableAfterMs` is disabled. Returns the endpoints
 * disabled by this call only, so their owners are told once.
 */
export async function extendFailingStreaks(tx: Executor, endpointIds: string[], disableAfterMs: number): Promise<Map<string, DisabledEndpoint>> {
  await tx`update webhook_endpoints set failing_since = coalesce(failing_since, now()) where id = any(${endpointIds}::uuid[])`
  const disabled = await tx`
    update webhook_endpoints e
    set enabled = false, updated_at = now(),
        disabled_reason = 'Disabled automatically: every delivery failed for ' || ${Math.round(disableAfterMs / 3_600_000)} || ' hours.'
    from users
    where e.id = any(${endpointIds}::uuid[]) and users.id = e.user_id and e.enabled
      and e.failing_since < now() - ${disableAfterMs} * interval '1 millisecond'
    returning e.id, e.url, users.email, to_char(e.failing_since at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"') as failing_since`
  return new Map(disabled.map((row) => [row.id as string, { url: row.url as string, ownerEmail: row.email as string, failingSinceUtc: row.failing_since as string }]))
}
