import 'server-only'
import { stateOf, type InstanceState, type InstanceStatusCode } from '@/lib/instances/status-codes'
import type { PauseReason } from '@/lib/instances/send-health'
import { CHANNELS } from '@/lib/bus/channels'
import { notify } from '@/lib/bus/listener'
import type { EventType, InstanceIdentity } from '@/lib/events/types'
import { recordEvent } from './events'
import { leaseSqlClient } from '@/lib/db'
import { sqlClient, type Executor } from './sql'
import { heldByLiveWorker, liveWorker } from './workers'

/**
 * The `instances` table: its one row type and every statement on it. State rules kept here:
 * `state` always follows `status_code`; a worker writes a row only while it owns it and its lease (its
 * `workers` row) is live (fencing); instances are claimed with SKIP LOCKED so workers share them
 * without double-holding one.
 */
export type Instance = {
  id: string
  userId: string
  name: string
  state: InstanceState
  statusCode: InstanceStatusCode
  statusReason: string | null
  desiredState: 'connected' | 'disconnected'
  workerId: string | null
  phoneNumber: string | null
  pushName: string | null
  qrCode: string | null
  qrCount: number
  pairingCode: string | null
  connectedAt: Date | null
  /** Connected to the account's sandbox world instead of WhatsApp. */
  sandbox: boolean
  /** Auto-pause: why sending stopped and since when (null: it may send). */
  sendPauseReason: PauseReason | null
  sendPausedAt: Date | null
  createdAt: Date
  updatedAt: Date
}

/** An instance with the liveness facts the API and dashboard need. */
export type LiveInstance = Instance & {
  /** A live worker holds it right now. */
  held: boolean
  /** At least one worker is alive at all. */
  workersAlive: boolean
}

export class LeaseLostError extends Error {
  constructor(instanceId: string) {
    super(`worker no longer holds instance ${instanceId}`)
  }
}

type Row = Record<string, unknown>

function toInstance(row: Row): Instance {
  return {
    id: row.id as string,
    userId: row.user_id as string,
    name: row.name as string,
    state: row.state as InstanceState,
    statusCode: row.status_code as InstanceStatusCode,
    statusReason: (row.status_reason as string | null) ?? null,
    desiredState: row.desired_state as Instance['desiredState'],
    workerId: (row.worker_id as string | null) ?? null,
    phoneNumber: (row.phone_number as string | null) ?? null,
    pushName: (row.push_name as string | null) ?? null,
    qrCode: (row.qr_code as string | null) ?? null,
    qrCount: Number(row.qr_count ?? 0),
    pairingCode: (row.pairing_code as string | null) ?? null,
    connectedAt: row.connected_at ? new Date(row.connected_at as string) : null,
    sandbox: row.sandbox === true,
    sendPauseReason: (row.send_pause_reason as PauseReason | null) ?? null,
    sendPausedAt: row.send_paused_at ? new Date(row.send_paused_at as string) : null,
    createdAt: new Date(row.created_at as string),
    updatedAt: new Date(row.updated_at as string),
  }
}

const OTHER_COLUMNS = 'i.id, i.user_id, i.name, i.desired_state, i.worker_id, i.phone_number, i.push_name, i.qr_code, i.qr_count, i.pairing_code, i.connected_at, i.sandbox, i.send_pause_reason, i.send_paused_at, i.created_at, i.updated_at'
const COLUMNS = `${OTHER_COLUMNS}, i.state, i.status_code, i.status_reason`

/** What a live worker's claim writes into a row its dead owner left open (claimLeases). */
const RECONNECTING_REASON = 'Reconnecting with the stored session…'

/**
 * The state, status code and reason the account is shown (API and dashboard alike): an `open` row
 * whose worker stopped beating is really reconnecting, so it says so (`connecting`, `reconnecting`)
 * until another worker's claim writes the same into the row.
 */
function shownState(sql: Executor) {
  const ownerGone = sql`(i.state = 'open' and not ${heldByLiveWorker(sql, 'i.worker_id')})`
  return sql`case when ${ownerGone} then 'connecting' else i.state end as state,
    case when ${ownerGone} then 'reconnecting' else i.status_code end as status_code,
    case when ${ownerGone} then ${RECONNECTING_REASON}::text else i.status_reason end as status_reason`
}

// ---------------------------------------------------------------- reads, scoped to an account

/** The account's instances, oldest first, each in the state it is shown (shownState). */
export async function listForAccount(userId: string): Promise<Instance[]> {
  const sql = sqlClient()
  const rows = await sql`select ${sql.unsafe(OTHER_COLUMNS)}, ${shownState(sql)} from instances i where i.user_id = ${userId} order by i.created_at, i.name`
  return rows.map(toInstance)
}

/** Names and ids of the account's instances among `names` (unknown names are simply absent). */
export async function namedAmong(userId: string, names: string[]): Promise<{ id: string; name: string }[]> {
  return [...(await sqlClient()`select id, name from instances where user_id = ${userId} and name = any(${names}::text[])`)] as { id: string; name: string }[]
}

/** Names and ids of the account's instances among `ids` (ids of other accounts are absent). */
export async function identifiedAmong(userId: string, ids: string[]): Promise<{ id: string; name: string }[]> {
  return [...(await sqlClient()`select id, name from instances where user_id = ${userId} and id = any(${ids}::uuid[])`)] as { id: string; name: string }[]
}

export async function findByName(userId: string, name: string): Promise<Instance | undefined> {
  const sql = sqlClient()
  const [row] = await sql`select ${sql.unsafe(OTHER_COLUMNS)}, ${shownState(sql)} from instances i where i.user_id = ${userId} and i.name = ${name} limit 1`
  return row ? toInstance(row) : undefined
}

/** What the data plane needs of the path's instance on every request (cached by lib/instances/data-plane-cache.ts). */
export type DataPlaneInstance = { id: string; name: string; state: InstanceState; statusCode: InstanceStatusCode; statusReason: string | null; sandbox: boolean; phoneNumber: string | null }

/** The data plane's lookup, with the state the account is shown (shownState). */
export async function findForDataPlane(userId: string, name: string): Promise<DataPlaneInstance | undefined> {
  const sql = sqlClient()
  const [row] = await sql`
    select i.id, i.name, i.sandbox, i.phone_number, ${shownState(sql)}
    from instances i where i.user_id = ${userId} and i.name = ${name} limit 1`
  return row
    ? { id: row.id, name: row.name, state: row.state, statusCode: row.status_code, statusReason: row.status_reason ?? null, sandbox: row.sandbox === true, phoneNumber: row.phone_number ?? null }
    : undefined
}

export async function findLive(instanceId: string): Promise<LiveInstance | undefined> {
  const sql = sqlClient()
  const [row] = await sql`
    select ${sql.unsafe(COLUMNS)},
      ${heldByLiveWorker(sql, 'i.worker_id')} as held,
      exists (select 1 from workers w where ${liveWorker(sql)}) as workers_alive
    from instances i where i.id = ${instanceId}`
  return row ? { ...toInstance(row), held: Boolean(row.held), workersAlive: Boolean(row.workers_alive) } : undefined
}

/** Whether sends can go out now: the row is open and a live worker holds it. */
export async function sendability(instanceId: string): Promise<{ open: boolean; held: boolean }> {
  const sql = sqlClient()
  const [row] = await sql`select i.state, ${heldByLiveWorker(sql, 'i.worker_id')} as held from instances i where i.id = ${instanceId}`
  return { open: row?.state === 'open', held: Boolean(row?.held) }
}

export async function hasStoredSession(instanceId: string): Promise<boolean> {
  const [row] = await sqlClient()`select exists (select 1 from whatsapp_auth_keys where instance_id = ${instanceId}) as has`
  return Boolean(row?.has)
}

// ---------------------------------------------------------------- account writes

/** Creates an instance; undefined when the account already has one by that name (unique index). */
export async function insertForAccount(userId: string, name: string, options: { sandbox?: boolean } = {}): Promise<Instance | undefined> {
  const sql = sqlClient()
  const [row] = await sql`
    insert into instances as i (user_id, name, sandbox) values (${userId}, ${name}, ${options.sandbox ?? false})
    on conflict (user_id, name) do nothing
    returning ${sql.unsafe(COLUMNS)}`
  return row ? toInstance(row) : undefined
}

/** How many sandbox instances the account has (their cap is checked before a new one is made). */
export async function countSandboxForAccount(userId: string): Promise<number> {
  const [row] = await sqlClient()`select count(*)::int as n from instances where user_id = ${userId} and sandbox`
  return Number(row.n)
}

export async function deleteForAccount(userId: string, instanceId: string): Promise<boolean> {
  const rows = await sqlClient()`delete from instances where user_id = ${userId} and id = ${instanceId} returning id`
  return rows.length > 0
}

/** Asks for a connection; the workers are woken to claim it. A fresh request restarts the QR count. */
export async function requestConnection(instanceId: string): Promise<void> {
  await sqlClient()`
    update instances set desired_state = 'connected',
      qr_count = case when desired_state = 'disconnected' then 0 else qr_count end,
      status_code = case when desired_state = 'disconnected' then 'starting'::instance_status_code else status_code end,
      state = case when desired_state = 'disconnected' then 'connecting' else state end,
      status_reason = case when desired_state = 'disconnected' then 'Starting…' else status_reason end,
      updated_at = now()
    where id = ${instanceId}`
  await notify(CHANNELS.work, instanceId)
  await notify(CHANNELS.instanceChanged, instanceId)
}

/** Logout with no live owner: the credentials go and the row says logged out. */
export async function logOutUnheld(instanceId: string, reason: string): Promise<void> {
  await sqlClient().begin(async (tx) => {
    await tx`delete from whatsapp_auth_keys where instance_id = ${instanceId}`
    await tx`
      update instances set desired_state = 'disconnected', state = ${stateOf('logged_out')}, status_code = 'logged_out',
        phone_number = null, push_name = null, qr_code = null, qr_count = 0, pairing_code = null,
        status_reason = ${reason}, updated_at = now()
      where id = ${instanceId}`
  })
  await notify(CHANNELS.instanceChanged, instanceId)
}

// ---------------------------------------------------------------- worker: changes fenced by the lease

/** What a worker may change on an instance it holds; `statusCode` also sets `state`. */
export type InstanceChange = {
  statusCode?: InstanceStatusCode
  statusReason?: string | null
  qrCode?: string | null
  qrCount?: number
  pairingCode?: string | null
  phoneNumber?: string | null
  pushName?: string | null
  desiredState?: 'connected' | 'disconnected'
  connectedAt?: Date | null
  sendPauseReason?: PauseReason | null
  sendPausedAt?: Date | null
  sendResumedAt?: Date | null
}

const COLUMN: Record<keyof InstanceChange, string> = {
  statusCode: 'status_code',
  statusReason: 'status_reason',
  qrCode: 'qr_code',
  qrCount: 'qr_count',
  pairingCode: 'pairing_code',
  phoneNumber: 'phone_number',
  pushName: 'push_name',
  desiredState: 'desired_state',
  connectedAt: 'connected_at',
  sendPauseReason: 'send_pause_reason',
  sendPausedAt: 'send_paused_at',
  sendResumedAt: 'send_resumed_at',
}

/**
 * Writes a change and its event in one transaction, only while `workerId` holds the lease
 * (LeaseLostError otherwise), then wakes the web tier.
 */
export async function applyChange(
  instance: InstanceIdentity,
  workerId: string,
  change: InstanceChange,
  event?: { type: EventType; data: unknown } | { type: EventType; data: unknown }[],
): Promise<void> {
  const columns: Record<string, unknown> = Object.fromEntries(Object.entries(change).map(([key, value]) => [COLUMN[key as keyof InstanceChange], value]))
  if (change.statusCode) columns.state = stateOf(change.statusCode)
  const sql = sqlClient()
  await sql.begin(async (tx) => {
    const [row] = await tx`
      update instances i set ${tx(columns)}, updated_at = now()
      where i.id = ${instance.id} and i.worker_id = ${workerId} and ${heldByLiveWorker(tx, 'i.worker_id')} returning i.id`
    if (!row) throw new LeaseLostError(instance.id)
    for (const each of [event ?? []].flat()) await recordEvent(tx, instance, each.type, each.data)
  })
  await notify(CHANNELS.instanceChanged, instance.id)
}

/** The instance's send pause as stored (a worker reads it when it starts a socket). */
export async function sendPauseOf(instanceId: string): Promise<{ reason: PauseReason; since: Date } | null> {
  const [row] = await sqlClient()`select send_pause_reason, send_paused_at from instances where id = ${instanceId}`
  return row?.send_pause_reason ? { reason: row.send_pause_reason as PauseReason, since: new Date(row.send_paused_at as string) } : null
}

/** When sending was last resumed: the undelivered share counts only sends after it. */
export async function sendResumedAtOf(instanceId: string): Promise<Date | null> {
  const [row] = await sqlClient()`select send_resumed_at from instances where id = ${instanceId}`
  return row?.send_resumed_at ? new Date(row.send_resumed_at as string) : null
}

/**
 * Resume with no live owner (a stopped, banned instance): the pause goes, INSTANCE_HEALTH says so,
 * and the caller asks for a connection. False when it was not paused.
 */
export async function clearSendPauseUnheld(instance: InstanceIdentity, data: unknown): Promise<boolean> {
  const cleared = await sqlClient().begin(async (tx) => {
    const [row] = await tx`
      update instances set send_pause_reason = null, send_paused_at = null, send_resumed_at = now(), updated_at = now()
      where id = ${instance.id} and send_pause_reason is not null returning id`
    if (!row) return false
    await recordEvent(tx, instance, 'INSTANCE_HEALTH', data)
    return true
  })
  if (cleared) await notify(CHANNELS.instanceChanged, instance.id)
  return cleared
}

export async function qrCountOf(instanceId: string): Promise<number> {
  const [row] = await sqlClient()`select qr_count from instances where id = ${instanceId}`
  return Number(row?.qr_count ?? 0)
}

/**
 * The instance's row while this worker holds it, share-locked so it cannot be claimed until the
 * statement's transaction commits; no row once the lease is lost. A fenced write puts it first (in its
 * transaction, or as a CTE its writes depend on).
 */
export function leaseHeldRow(sql: Executor, instanceId: string, workerId: string) {
  return sql`select 1 from instances i where i.id = ${instanceId} and i.worker_id = ${workerId} and ${heldByLiveWorker(sql, 'i.worker_id')} for share of i`
}

/** Inside a transaction of the worker's: holds a share lock so the instance cannot be claimed until it commits. */
export async function assertLeaseHeld(tx: Executor, instanceId: string, workerId: string): Promise<void> {
  const [held] = await leaseHeldRow(tx, instanceId, workerId)
  if (!held) throw new LeaseLostError(instanceId)
}

// ---------------------------------------------------------------- worker: leases
//
// The lease is the worker's own row (lib/store/workers.ts): an instance is held while its
// `worker_id` names a live worker, so one statement per worker renews every instance it holds.
// Fencing: a lapsed lease is never renewed (the worker re-registers under a new id), and fenced
// writes above check liveness. A dead owner is fenced before its instances move: `fenceDeadWorkers`
// marks it stopped and frees its instances in one statement, so a renewal racing it either wins
// (the owner is live again and keeps them) or finds itself stopped. A stopped worker holds nothing
// (a stop releases first; see markWorkerStopped), so what is unheld is exactly `worker_id is null`.

export type LeaseRenewal = {
  /** Held instances that still want a socket. */
  connected: string[]
  /** Held instances whose socket should go (disconnect, logout). */
  disconnected: string[]
  /** An instance wants a socket and has no owner, or a worker died unfenced: worth fencing and a claim. */
  claimable: boolean
}

/**
 * Renews the worker's lease (its `workers` row) and lists what it holds, in one statement; undefined
 * when the lease already lapsed or the worker was marked stopped: it then holds nothing and must
 * re-register under a new id. Writes one row, whatever the worker holds.
 */
export async function renewLease(workerId: string): Promise<LeaseRenewal | undefined> {
  const sql = leaseSqlClient()
  const [row] = await sql`
    with me as (update workers w set heartbeat_at = now() where w.id = ${workerId} and ${liveWorker(sql)} returning w.id),
    held as (
      select array_agg(i.id) filter (where i.desired_state = 'connected') as connected,
        array_agg(i.id) filter (where i.desired_state = 'disconnected') as disconnected
      from instances i where i.worker_id = (select id from me))
    select coalesce(held.connected, '{}') as connected, coalesce(held.disconnected, '{}') as disconnected,
      exists (select 1 from instances i where i.worker_id is null and i.desired_state = 'connected')
        or exists (select 1 from workers w where w.stopped_at is null and not (${liveWorker(sql)})) as claimable
    from me, held`
  if (!row) return undefined
  return { connected: row.connected as string[], disconnected: row.disconnected as string[], claimable: Boolean(row.claimable) }
}

/** Dead workers not yet fenced: marked stopped (they can never renew) and their instances freed, together. */
export async function fenceDeadWorkers(): Promise<number> {
  const sql = sqlClient()
  const freed = await sql`
    with dead as (update workers w set stopped_at = now() where w.stopped_at is null and not (${liveWorker(sql)}) returning w.id)
    update instances i set worker_id = null from dead where i.worker_id = dead.id
    returning i.id`
  return freed.length
}

/**
 * Claims a fair share of the instances that want a socket and have no owner, up to `room`: enough
 * to bring this worker to its part of all wanted instances (total / live workers), and at least
 * ceil(unheld / live workers). So a dead worker's instances spread evenly over the survivors in
 * one claim each, and new ones go to the least loaded.
 */
export async function claimLeases(workerId: string, room: number): Promise<InstanceIdentity[]> {
  const sql = sqlClient()
  // The totals are counted only when something is unheld (a CASE runs its subqueries lazily): a
  // claim woken for an instance another worker holds costs two index lookups.
  const rows = await sql`
    with chosen as (
      select i.id from instances i
      where i.worker_id is null and i.desired_state = 'connected'
      limit (
        select case when u.unheld = 0 then 0 else least(${room}, greatest(
            ceil((select count(*) from instances a where a.desired_state = 'connected')::numeric / l.live) - (select count(*) from instances m where m.worker_id = ${workerId}),
            ceil(u.unheld::numeric / l.live)))::int end
        from (select count(*) as unheld from instances i where i.worker_id is null and i.desired_state = 'connected') u,
          (select greatest(1, count(*)) as live from workers w where ${liveWorker(sql)}) l)
      for update of i skip locked
    )
    update instances i set worker_id = ${workerId},
      -- A row left open by its former owner has no socket behind it until this worker's opens: the
      -- API and dashboard must not go on saying open in between (the session's own writes follow).
      status_code = case when i.state = 'open' then 'reconnecting' else i.status_code end,
      state = case when i.state = 'open' then 'connecting' else i.state end,
      status_reason = case when i.state = 'open' then ${RECONNECTING_REASON} else i.status_reason end
    from chosen where i.id = chosen.id
    returning i.id, i.user_id, i.name, i.sandbox`
  return rows.map((row) => ({ id: row.id, userId: row.user_id, name: row.name, sandbox: row.sandbox === true }))
}

export async function releaseLease(instanceId: string, workerId: string): Promise<void> {
  await sqlClient()`update instances set worker_id = null where id = ${instanceId} and worker_id = ${workerId}`
}

/** Graceful shutdown: every lease goes at once, and the instances that want a connection wake the other workers. */
export async function releaseAllLeases(workerId: string): Promise<void> {
  const released = await sqlClient()`
    update instances set worker_id = null
    where worker_id = ${workerId} returning id, desired_state`
  for (const row of released) if (row.desired_state === 'connected') await notify(CHANNELS.work, row.id)
}

/** Metrics: this worker's instances by status code. */
export async function countHeldByStatus(workerId: string): Promise<{ statusCode: InstanceStatusCode; count: number }[]> {
  const rows = await sqlClient()`select status_code, count(*)::int as n from instances where worker_id = ${workerId} group by status_code`
  return rows.map((row) => ({ statusCode: row.status_code as InstanceStatusCode, count: row.n as number }))
}
