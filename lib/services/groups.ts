import 'server-only'
import { ApiError } from '@/lib/api/errors'
import { runCommand } from '@/lib/bus/commands'
import { sendability } from '@/lib/store/instances'

type Instance = { id: string; name: string }

/** Group changes may take WhatsApp a few round trips (create, then description, then a refresh). */
const GROUP_TIMEOUT_MS = 30_000

/** The group operations the worker runs (workers/messaging/group-commands.ts). */
export type GroupOperation =
  | 'create'
  | 'fetchAll'
  | 'info'
  | 'participants'
  | 'updateParticipants'
  | 'updateSubject'
  | 'updateDescription'
  | 'updatePicture'
  | 'updateSetting'
  | 'toggleEphemeral'
  | 'inviteCode'
  | 'revokeInviteCode'
  | 'inviteInfo'
  | 'acceptInvite'
  | 'leave'
  | 'joinRequests'
  | 'updateJoinRequests'

/** Asks the worker holding the instance to run a group operation and answers with its result. */
export async function runGroupOperation(instance: Instance, op: GroupOperation, input: Record<string, unknown> = {}): Promise<unknown> {
  if (!(await sendability(instance.id)).open) throw new ApiError('instance_not_connected', `The instance "${instance.name}" is not connected to WhatsApp.`)
  return runCommand(instance.id, 'group', { ...input, op }, GROUP_TIMEOUT_MS)
}
