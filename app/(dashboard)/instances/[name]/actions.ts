'use server'
import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { z } from 'zod'
import { formAction, serverAction } from '@/lib/actions/server-action'
import { PhoneNumber } from '@/lib/api/schemas/instances-data-plane'
import type { SessionUser } from '@/lib/auth/session'
import { deleteInstance, findInstance } from '@/lib/services/instances/instances'
import { connect, liveState, logout, requestConnection, restart, type InstanceLiveState } from '@/lib/services/instances/lifecycle'
import { resumeSending } from '@/lib/services/instances/send-health'

/** What the instance page's buttons get back: the fresh state to show at once, and what to say about it. */
export type InstanceChange = { state: InstanceLiveState; notice?: string }

const ThisInstance = z.object({ name: z.string() })

/** The signed-in account's instance of that name; another account's is not found (404). */
function ownInstance(user: SessionUser, name: string) {
  return findInstance({ ctx: user, input: { name } })
}

/** Connect / Generate a new code: a worker claims the instance and starts pairing (the QR arrives on the live stream). */
export const connectAction = serverAction({ input: ThisInstance }, async ({ user, input }): Promise<InstanceChange> => {
  const instance = await ownInstance(user, input.name)
  await requestConnection(instance)
  return { state: await liveState(instance) }
})

export const restartAction = serverAction({ input: ThisInstance }, async ({ user, input }): Promise<InstanceChange> => {
  const state = await restart(await ownInstance(user, input.name))
  return { state, notice: 'Restarted. Reconnecting with the stored session; no new QR code needed.' }
})

export const logoutAction = serverAction({ input: ThisInstance }, async ({ user, input }): Promise<InstanceChange> => {
  const state = await logout(await ownInstance(user, input.name))
  return { state, notice: 'Logged out. The device was unlinked; pair again whenever you are ready.' }
})

/** Resume after an auto-pause (the health panel's button): held sends go out; the page shows the change. */
export const resumeSendingAction = formAction({ input: ThisInstance }, async ({ user, input }) => {
  const instance = await ownInstance(user, input.name)
  await resumeSending({ ...instance, userId: user.userId })
  revalidatePath(`/instances/${encodeURIComponent(input.name)}`)
})

const PHONE_NUMBER_RULE = 'Enter the number with its country code: 10 to 15 digits, like +1 555 000 2222.'

export const pairingCodeAction = formAction(
  { input: ThisInstance.extend({ phoneNumber: z.string().refine((value) => PhoneNumber.safeParse(value).success, PHONE_NUMBER_RULE) }) },
  async ({ user, input }): Promise<InstanceChange> => {
    const instance = await ownInstance(user, input.name)
    const result = await connect(instance, { phoneNumber: PhoneNumber.parse(input.phoneNumber) })
    return { state: await liveState(instance), notice: result.state === 'open' ? 'This instance is already connected.' : undefined }
  },
)

export const deleteAction = serverAction(
  {
    input: ThisInstance.extend({ confirmation: z.string() }).superRefine(({ name, confirmation }, context) => {
      if (confirmation.trim() !== name) context.addIssue({ code: 'custom', path: ['confirmation'], message: `Type ${name} exactly to confirm.` })
    }),
  },
  async ({ user, input }) => {
    await deleteInstance({ ctx: user, input: { name: input.name } })
    revalidatePath('/instances')
    redirect(`/instances?deleted=${encodeURIComponent(input.name)}`)
  },
)
