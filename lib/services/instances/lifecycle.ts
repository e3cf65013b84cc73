import 'server-only'
import QRCode from 'qrcode'
import { ApiError } from '@/lib/api/errors'
import { CHANNELS } from '@/lib/bus/channels'
import { runCommand } from '@/lib/bus/commands'
import { waitForRow } from '@/lib/bus/wait'
import { shownStateOf, type InstanceState, type InstanceStatusCode } from '@/lib/instances/status-codes'
import { findLive, logOutUnheld, requestConnection as storeConnectionRequest } from '@/lib/store/instances'
import { liveWorkerCount } from '@/lib/store/workers'

export type InstanceRef = { id: string; name: string }

export type InstanceLiveState = {
  name: string
  state: InstanceState
  /** Why it is in that state: what the dashboard and integrations switch on. */
  statusCode: InstanceStatusCode
  desiredState: 'connected' | 'disconnected'
  phoneNumber: string | null
  pushName: string | null
  qr: { code: string; base64: string; count: number } | null
  pairingCode: string | null
  /** The same, in words for people; never parsed. */
  statusReason: string | null
  /** A live worker holds the instance right now. */
  held: boolean
  workersAlive: boolean
  updatedAt: string
}

const COMMAND_TIMEOUT_MS = 20_000
const QR_WAIT_MS = 20_000

export async function liveState(instance: InstanceRef): Promise<InstanceLiveState> {
  const row = await findLive(instance.id)
  if (!row) throw new ApiError('instance_not_found')
  return {
    name: row.name,
    state: row.state,
    statusCode: row.statusCode,
    desiredState: row.desiredState,
    phoneNumber: row.phoneNumber,
    pushName: row.pushName,
    qr: row.qrCode ? { code: row.qrCode, base64: await QRCode.toDataURL(row.qrCode, { margin: 1, width: 320 }), count: row.qrCount } : null,
    pairingCode: row.pairingCode,
    statusReason: row.statusReason,
    held: row.held,
    workersAlive: row.workersAlive,
    updatedAt: row.updatedAt.toISOString(),
  }
}

/** Resolves with the first state `accept` takes, re-reading the row on every change notification. */
export function waitForState<T>(instance: InstanceRef, accept: (state: InstanceLiveState) => T | undefined, timeoutMs: number): Promise<T | undefined> {
  return waitForRow({ channel: CHANNELS.instanceChanged, id: instance.id, read: () => liveState(instance), accept, timeoutMs })
}

/** Asks for a connection: a worker claims the instance and starts pairing (or reconnects with the stored session). */
export async function requestConnection(instance: InstanceRef): Promise<void> {
  if ((await liveWorkerCount()) === 0) throw new ApiError('unavailable', 'No worker is running right now, so WhatsApp cannot be reached. Retry shortly.')
  await storeConnectionRequest(instance.id)
}

export type ConnectResult = { code: string | null; base64: string | null; pairingCode: string | null; count: number; state: InstanceLiveState['state'] }

/** GET connect: a QR (or, with a number, a pairing code) to link the phone; already-open instances say so. */
export async function connect(instance: InstanceRef, options: { phoneNumber?: string }): Promise<ConnectResult> {
  const current = await liveState(instance)
  const connected = (state: InstanceLiveState) => shownStateOf(state) === 'open'
  if (connected(current)) return { code: null, base64: null, pairingCode: null, count: 0, state: 'open' }
  await requestConnection(instance)
  if (options.phoneNumber) {
    const result = (await runCommand(instance.id, 'request_pairing_code', { phoneNumber: options.phoneNumber }, COMMAND_TIMEOUT_MS)) as { pairingCode: string }
    return { code: null, base64: null, pairingCode: result.pairingCode, count: 0, state: 'connecting' }
  }
  const ready = await waitForState(instance, (state) => (state.qr || connected(state) ? state : undefined), QR_WAIT_MS)
  if (!ready) {
    const latest = await liveState(instance)
    throw new ApiError('timeout', latest.statusReason ?? 'WhatsApp did not offer a QR code in time. Retry shortly.')
  }
  return { code: ready.qr?.code ?? null, base64: ready.qr?.base64 ?? null, pairingCode: ready.pairingCode, count: ready.qr?.count ?? 0, state: ready.state }
}

/** Closes the socket and reconnects with the stored session (no logout, no new QR). */
export async function restart(instance: InstanceRef): Promise<InstanceLiveState> {
  const current = await liveState(instance)
  if (current.desiredState === 'disconnected' || !current.held) {
    await requestConnection(instance)
  } else {
    await runCommand(instance.id, 'restart', {}, COMMAND_TIMEOUT_MS)
  }
  return liveState(instance)
}

/** Unlinks the device. With a live owner WhatsApp is told; either way our credentials are deleted. */
export async function logout(instance: InstanceRef): Promise<InstanceLiveState> {
  const current = await liveState(instance)
  if (current.held) {
    await runCommand(instance.id, 'logout', {}, COMMAND_TIMEOUT_MS)
  } else {
    await logOutUnheld(instance.id, 'Logged out.')
  }
  return liveState(instance)
}
