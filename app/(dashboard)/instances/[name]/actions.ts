'use server'
import { randomUUID } from 'node:crypto'
import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { ApiError } from '@/lib/api/errors'
import { PhoneNumber } from '@/lib/api/schemas/instances-data-plane'
import { currentUser } from '@/lib/auth/session'
import { deleteInstance, findInstance } from '@/lib/services/instances/instances'
import { connect, liveState, logout, requestConnection, restart } from '@/lib/services/instances/lifecycle'
import type { DeleteState, InstanceActionResult, PairingCodeState } from './action-state'

async function ownInstance(name: string) {
  const user = await currentUser()
  if (!user) redirect(`/login?next=${encodeURIComponent(`/instances/${name}`)}`)
  return { user, instance: await findInstance({ ctx: user, input: { name } }) }
}

/** Refusals the person can act on become messages; anything else is a bug and goes to the error boundary. */
function refused(error: unknown): { ok: false; error: string } {
  if (!(error instanceof ApiError)) throw error
  return { ok: false, error: error.message }
}

/** Connect / Generate a new code: a worker claims the instance and starts pairing (the QR arrives on the live stream). */
export async function connectAction(name: string): Promise<InstanceActionResult> {
  try {
    const { instance } = await ownInstance(name)
    await requestConnection(instance)
    return { ok: true, state: await liveState(instance) }
  } catch (error) {
    return refused(error)
  }
}

export async function restartAction(name: string): Promise<InstanceActionResult> {
  try {
    const { instance } = await ownInstance(name)
    const state = await restart(instance)
    return { ok: true, state, notice: 'Restarted. Reconnecting with the stored session; no new QR code needed.' }
  } catch (error) {
    return refused(error)
  }
}

export async function logoutAction(name: string): Promise<InstanceActionResult> {
  try {
    const { instance } = await ownInstance(name)
    const state = await logout(instance)
    return { ok: true, state, notice: 'Logged out. The device was unlinked; pair again whenever you are ready.' }
  } catch (error) {
    return refused(error)
  }
}

export async function pairingCodeAction(name: string, _previous: PairingCodeState, formData: FormData): Promise<PairingCodeState> {
  const phoneNumber = String(formData.get('phoneNumber') ?? '')
  const parsed = PhoneNumber.safeParse(phoneNumber)
  if (!parsed.success) {
    return { phoneNumber, nonce: randomUUID(), fieldError: 'Enter the number with its country code: 10 to 15 digits, like +1 555 000 2222.' }
  }
  try {
    const { instance } = await ownInstance(name)
    const result = await connect(instance, { phoneNumber: parsed.data })
    const state = await liveState(instance)
    if (result.state === 'open') return { phoneNumber, nonce: randomUUID(), state, formError: 'This instance is already connected.' }
    return { phoneNumber, nonce: randomUUID(), state }
  } catch (error) {
    return { phoneNumber, nonce: randomUUID(), formError: refused(error).error }
  }
}

export async function deleteAction(name: string, _previous: DeleteState, formData: FormData): Promise<DeleteState> {
  const confirmation = String(formData.get('confirmation') ?? '').trim()
  if (confirmation !== name) return { nonce: randomUUID(), fieldError: `Type ${name} exactly to confirm.` }
  try {
    const { user } = await ownInstance(name)
    await deleteInstance({ ctx: user, input: { name } })
  } catch (error) {
    return { nonce: randomUUID(), formError: refused(error).error }
  }
  revalidatePath('/instances')
  redirect(`/instances?deleted=${encodeURIComponent(name)}`)
}
