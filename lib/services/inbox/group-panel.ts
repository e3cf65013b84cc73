// The Inbox's group info panel and its actions: the same group operations the API's group endpoints
// run on the worker holding the instance (lib/services/groups.ts), so the rules (admin only,
// members' results, not_group_admin / group_not_found) are the API's.
import 'server-only'
import type { z } from 'zod'
import { ApiError } from '@/lib/api/errors'
import type { GroupInfo, InviteCodeResponse, UpdateParticipantResponse } from '@/lib/api/schemas/groups'
import { contactNames } from '@/lib/store/contacts'
import { runGroupOperation } from '@/lib/services/groups'
import { liveState } from '@/lib/services/instances/lifecycle'
import { chatLabel } from '@/lib/services/instances/recent-messages'

type Instance = { id: string; name: string }

export type GroupMemberView = {
  jid: string
  /** Digits of the number, when known: what the member actions take. */
  number: string | null
  label: string
  name: string | null
  admin: 'admin' | 'superadmin' | null
  isMe: boolean
}

export type GroupPanel = {
  jid: string
  subject: string
  description: string | null
  size: number
  announce: boolean
  restrict: boolean
  members: GroupMemberView[]
  /** Whether this instance is an admin of the group (only then the invite link and member actions). */
  isAdmin: boolean
  inviteUrl: string | null
}

const digitsOf = (jid: string | null) => (jid?.endsWith('@s.whatsapp.net') ? jid.slice(0, jid.indexOf('@')).split(':')[0] : null)

/** The group's details, members (admins first) and, for an admin, its invite link. */
export async function groupPanel(instance: Instance, groupJid: string): Promise<GroupPanel> {
  const [info, state] = await Promise.all([
    runGroupOperation(instance, 'info', { groupJid }) as Promise<z.infer<typeof GroupInfo>>,
    liveState(instance),
  ])
  const ownJid = state.phoneNumber ? `${state.phoneNumber}@s.whatsapp.net` : null
  const participants = info.participants ?? []
  const names = await contactNames(instance.id, participants.flatMap((member) => [member.id, ...(member.lid ? [member.lid] : [])]))
  const rank = { superadmin: 0, admin: 1 } as const
  const members = participants
    .map((member): GroupMemberView => {
      const isMe = ownJid !== null && (member.id === ownJid || member.phoneNumber === ownJid)
      return {
        jid: member.id,
        number: digitsOf(member.phoneNumber ?? member.id),
        label: chatLabel(member.phoneNumber ?? member.id),
        name: isMe ? 'You' : (names.get(member.id) ?? (member.lid ? names.get(member.lid) : undefined) ?? null),
        admin: member.admin,
        isMe,
      }
    })
    .sort((a, b) => Number(b.isMe) - Number(a.isMe) || (a.admin ? rank[a.admin] : 2) - (b.admin ? rank[b.admin] : 2) || a.label.localeCompare(b.label))
  const isAdmin = members.some((member) => member.isMe && member.admin !== null)
  const invite = isAdmin ? ((await runGroupOperation(instance, 'inviteCode', { groupJid })) as z.infer<typeof InviteCodeResponse>) : null
  return {
    jid: info.id,
    subject: info.subject,
    description: info.desc,
    size: info.size,
    announce: info.announce,
    restrict: info.restrict,
    members,
    isAdmin,
    inviteUrl: invite?.inviteUrl ?? null,
  }
}

export type MemberAction = 'remove' | 'promote' | 'demote'

/** Removes, promotes or demotes one member; WhatsApp's refusal for that member is said as an error. */
export async function changeMember(instance: Instance, input: { groupJid: string; action: MemberAction; number: string }): Promise<void> {
  const result = (await runGroupOperation(instance, 'updateParticipants', { groupJid: input.groupJid, action: input.action, participants: [input.number] })) as z.infer<
    typeof UpdateParticipantResponse
  >
  const outcome = result.updateParticipants[0]
  const done = { remove: 'removed', promote: 'promoted', demote: 'demoted' }[input.action]
  if (outcome && outcome.status !== done) throw new ApiError('invalid_request', `WhatsApp did not ${input.action} +${input.number} (${outcome.status.replaceAll('_', ' ')}).`)
}

/** A new invite link; the old one stops working. */
export async function resetInviteLink(instance: Instance, groupJid: string): Promise<string> {
  return ((await runGroupOperation(instance, 'revokeInviteCode', { groupJid })) as z.infer<typeof InviteCodeResponse>).inviteUrl
}

export async function leaveGroup(instance: Instance, groupJid: string): Promise<void> {
  await runGroupOperation(instance, 'leave', { groupJid })
}
