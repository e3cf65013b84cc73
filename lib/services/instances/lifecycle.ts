import 'server-only'
import QRCode from 'qrcode'
import { sqlClient } from '@/lib/db'
import { ApiError } from '@/lib/api/errors'
import { CHANNELS } from '@/lib/bus/channels'
import { awaitCommand, enqueueCommand } from '@/lib/bus/commands'
import { notify } from '@/lib/bus/listener'
import { waitForRow } from '@/lib/bus/wait'
import { WORKER_HEARTBEAT_TTL_SECONDS } from '@/lib/services/status'

export type InstanceRef = { id: string; name: string }

export type InstanceLiveState = {
  name: string
  state: 'close' | 'connecting' | 'open'
  desiredState: 'connected' | 'disconnected'
  phoneNumber: string | null
  pushName: string | null
  qr: { code: string; base64: string; count: number } | null
  pairingCode: string | null
  statusReason: string | null
  /** A live worker holds the instance right now. */
  held: boolean
  workersAlive: boolean
  updatedAt: string
}

const COMMAND_TIMEOUT_MS = 20_000
const QR_WAIT_MS = 20_000

export async function liveState(instance: InstanceRef): Promise<InstanceLiveState> {
  const [row] = await sqlClient()`
    select i.name, i.state, i.desired_state, i.phone_number, i.push_name, i.qr_code, i.qr_count, i.pairing_code, i.status_reason, i.updated_at,
      exists (select 1 from workers w where w.id = i.worker_id and w.stopped_at is null
              and w.heartbeat_at > now() - make_interval(secs => ${WORKER_HEARTBEAT_TTL_SECONDS})) as held,
      exists (select 1 from workers w where w.stopped_at is null
              and w.heartbeat_at > now() - make_interval(secs => ${WORKER_HEARTBEAT_TTL_SECONDS})) as workers_alive
    from instances i where i.id = ${instance.id}`
  if (!row) throw new ApiError('instance_not_found')
  return {
    name: row.name,
    state: row.state,
    desiredState: row.desired_state,
    phoneNumber: row.phone_number,
    pushName: row.push_name,
    qr: row.qr_code ? { code: row.qr_code, base64: await QRCode.toDataURL(row.qr_code, { margin: 1, width: 320 }), count: Number(row.qr_count) } : null,
    pairingCode: row.pairing_code,
    statusReason: row.status_reason,
    held: row.held,
    workersAlive: row.workers_alive,
    updatedAt: new Date(row.updated_at).toISOString(),
  }
}

/** Resolves with the first state `accept` takes, re-reading the row on every change notification. */
export function waitForState<T>(instance: InstanceRef, accept: (state: InstanceLiveState) => T | undefined, timeoutMs: number): Promise<T | undefined> {
  return waitForRow({ channel: CHANNELS.instanceChanged, id: instance.id, read: () => liveState(instance), accept, timeoutMs })
}

async function requireLiveWorkers(): Promise<void> {
  const [row] = await sqlClient()`
    select count(*)::int as alive from workers
    where stopped_at is null and heartbeat_at > now() - make_interval(secs => ${WORKER_HEARTBEAT_TTL_SECONDS})`
  if (Number(row.alive) === 0) throw new ApiError('unavailable', 'No worker is running right now, so WhatsApp cannot be reached. Retry shortly.')
}

/** Asks for a connection: a worker claims the instance and starts pairing (or reconnects with the stored session). */
export async function requestConnection(instance: InstanceRef): Promise<void> {
  await requireLiveWorkers()
  const sql = sqlClient()
  await sql`
    update instances set desired_state = 'connected',
      qr_count = case when desired_state = 'disconnected' then 0 else qr_count end,
      status_reason = case when desired_state = 'disconnected' then 'Starting…' else status_reason end,
      updated_at = now()
    where id = ${instance.id}`
  await notify(CHANNELS.work, instance.id)
  await notify(CHANNELS.instanceChanged, instance.id)
}

export type ConnectResult = { code: string | null; base64: string | null; pairingCode: string | null; count: number; state: InstanceLiveState['state'] }

/** GET connect: a QR (or, with a number, a pairing code) to link the phone; already-open instances say so. */
export async function connect(instance: InstanceRef, options: { phoneNumber?: string }): Promise<ConnectResult> {
  const current = await liveState(instance)
  if (current.state === 'open') return { code: null, base64: null, pairingCode: null, count: 0, state: 'open' }
  await requestConnection(instance)
  if (options.phoneNumber) {
    const commandId = await enqueueCommand(instance.id, 'request_pairing_code', { phoneNumber: options.phoneNumber })
    const result = (await awaitCommand(commandId, COMMAND_TIMEOUT_MS)) as { pairingCode: string }
    return { code: null, base64: null, pairingCode: result.pairingCode, count: 0, state: 'connecting' }
  }
  const ready = await waitForState(instance, (state) => (state.qr || state.state === 'open' ? state : undefined), QR_WAIT_MS)
  if (!ready) {
    const latest = await liveState(instance)
    throw new ApiError('timeout', latest.statusReason ?? 'WhatsApp did not offer a QR code in time. Retry shortly.')
  }
  return { code: ready.qr?.code ?? null, base64: ready.qr?.base64 ?? null, pairingCode: ready.pairingCode, count: ready.qr?.count ?? 0, state: ready.state }
}

async function commandOnHeldInstance(instance: InstanceRef, type: 'restart' | 'logout', payload: Record<string, unknown> = {}) {
  const commandId = await enqueueCommand(instance.id, type, payload)
  return awaitCommand(commandId, COMMAND_TIMEOUT_MS)
}

/** Closes the socket and reconnects with the stored session (no logout, no new QR). */
export async function restart(instance: InstanceRef): Promise<InstanceLiveState> {
  const current = await liveState(instance)
  if (current.desiredState === 'disconnected' || !current.held) {
    await requestConnection(instance)
  } else {
    await commandOnHeldInstance(instance, 'restart')
  }
  return liveState(instance)
}

/** Unlinks the device. With a live owner WhatsApp is told; either way our credentials are deleted. */
export async function logout(instance: InstanceRef): Promise<InstanceLiveState> {
  const current = await liveState(instance)
  if (current.held) {
    await commandOnHeldInstance(instance, 'logout')
  } else {
    const sql = sqlClient()
    await sql.begin(async (tx) => {
      await tx`delete from whatsapp_auth_keys where instance_id = ${instance.id}`
      await tx`
        update instances set desired_state = 'disconnected', state = 'close', phone_number = null, push_name = null,
          qr_code = null, qr_count = 0, pairing_code = null, status_reason = 'Logged out.', updated_at = now()
        where id = ${instance.id}`
    })
    await notify(CHANNELS.instanceChanged, instance.id)
  }
  return liveState(instance)
}
