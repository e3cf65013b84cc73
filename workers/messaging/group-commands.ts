// The `group` command: the web tier's group operations, run on the socket that holds the instance
// (Baileys' group functions, node_modules/@whiskeysockets/baileys/lib/Socket/groups.js), with
// WhatsApp's refusals turned into our error codes and the stored metadata kept current.
import { generateMessageIDV2, jidNormalizedUser, proto, type WASocket } from '@whiskeysockets/baileys'
import type { ErrorCode } from '@/lib/api/errors'
import { CommandError, type CommandContext, type CommandHandler } from '@/workers/instances/commands'
import { describeGroup, describeMember, keepGroups, refreshGroup } from '@/workers/whatsapp/groups'
import { forgetGroupMetadata } from '@/lib/store/groups'
import { fetchMediaUrl, MediaFetchError } from './media-fetch'

const INVITE_URL = 'https://chat.whatsapp.com/'

type Payload = Record<string, unknown>
type Operation = (socket: WASocket, payload: Payload, context: CommandContext) => Promise<unknown>

/** What one participant's add/remove/promote/demote came to, from WhatsApp's per-participant code. */
export type ParticipantStatus = 'added' | 'removed' | 'promoted' | 'demoted' | 'not_on_whatsapp' | 'not_a_member' | 'already_member' | 'invite_sent' | 'refused'

const DONE: Record<string, ParticipantStatus> = { add: 'added', remove: 'removed', promote: 'promoted', demote: 'demoted' }

/** WhatsApp's per-participant codes (whatsmeow's parseParticipant reads them the same way). */
function participantStatus(action: string, code: string): ParticipantStatus {
  if (code === '200') return DONE[action]
  if (code === '404') return action === 'add' ? 'not_on_whatsapp' : 'not_a_member'
  if (code === '409') return 'already_member'
  return 'refused'
}

const pnJid = (number: string) => `${number}@s.whatsapp.net`

/**
 * WhatsApp's IQ error code (Baileys throws a Boom carrying it) as our error: 404 no such group, 403 /
 * 401 not allowed (a non-admin, or not in the group for reads), 406 / 410 an invite code never
 * issued or revoked.
 */
function refusal(error: unknown, kind: 'read' | 'change' | 'invite'): CommandError | undefined {
  // Baileys' query() puts WhatsApp's code in the Boom's data; extractGroupMetadata in its statusCode.
  const boom = error as { data?: unknown; output?: { statusCode?: number } }
  const status = typeof boom?.data === 'number' ? boom.data : boom?.output?.statusCode
  const detail = error instanceof Error ? error.message : String(error)
  const as = (code: ErrorCode, message: string) => new CommandError(code, `${message} (WhatsApp: ${status} ${detail})`)
  if (kind === 'invite' && (status === 406 || status === 410 || status === 404)) return as('invite_code_invalid', 'The invite code is unknown or was revoked.')
  if (status === 404) return as('group_not_found', 'No such group.')
  if (status === 403 && kind === 'read') return as('group_not_found', 'This instance is not in that group.')
  if (status === 403 || status === 401) return as('not_group_admin', 'Only a group admin may do that, and this instance is not one.')
  return undefined
}

function openSocket(context: CommandContext): WASocket {
  const socket = context.session.socket
  if (!socket || !context.session.isOpen) throw new CommandError('instance_not_connected', 'The instance is not connected to WhatsApp.')
  return socket
}

async function infoAfterChange(socket: WASocket, context: CommandContext, jid: string) {
  return describeGroup(socket, await refreshGroup(context.session.instance.id, socket, jid))
}

/** A group picture: base64 data, or an https URL fetched through the SSRF guard. */
async function pictureBytes(image: string, allowPrivate: boolean): Promise<Buffer> {
  if (!/^https?:\/\//i.test(image)) return Buffer.from(image.replace(/^data:[^;,]+;base64,/, ''), 'base64')
  try {
    return (await fetchMediaUrl(image, 'image', { allowPrivate })).data
  } catch (error) {
    if (error instanceof MediaFetchError) throw new CommandError(error.code, error.message)
    throw error
  }
}

function operations(options: { allowPrivateUrls: boolean }): Record<string, [kind: 'read' | 'change' | 'invite', run: Operation]> {
  const instanceIdOf = (context: CommandContext) => context.session.instance.id
  return {
    create: ['change', async (socket, payload, context) => {
      const numbers = payload.participants as string[]
      let meta = await socket.groupCreate(String(payload.subject), numbers.map(pnJid))
      if (payload.description) await socket.groupUpdateDescription(meta.id, String(payload.description))
      if (payload.promoteParticipants) {
        const members = meta.participants.filter((p) => p.admin !== 'superadmin').map((p) => p.id)
        if (members.length) await socket.groupParticipantsUpdate(meta.id, members, 'promote')
      }
      if (payload.description || payload.promoteParticipants) meta = await socket.groupMetadata(meta.id)
      await keepGroups(instanceIdOf(context), socket, [meta])
      return describeGroup(socket, meta)
    }],
    fetchAll: ['read', async (socket, payload, context) => {
      const groups = Object.values(await socket.groupFetchAllParticipating())
      await keepGroups(instanceIdOf(context), socket, groups)
      return Promise.all(groups.map((group) => describeGroup(socket, group, { participants: Boolean(payload.getParticipants) })))
    }],
    info: ['read', async (socket, payload, context) => describeGroup(socket, await refreshGroup(instanceIdOf(context), socket, String(payload.groupJid)))],
    participants: ['read', async (socket, payload, context) => {
      const meta = await refreshGroup(instanceIdOf(context), socket, String(payload.groupJid))
      return { participants: await Promise.all(meta.participants.map((p) => describeMember(socket, p))) }
    }],
    updateParticipants: ['change', async (socket, payload, context) => {
      const jid = String(payload.groupJid)
      const action = payload.action as 'add' | 'remove' | 'promote' | 'demote'
      const numbers = payload.participants as string[]
      const answers = await socket.groupParticipantsUpdate(jid, numbers.map(pnJid), action)
      const meta = await refreshGroup(instanceIdOf(context), socket, jid)
      const results = []
      for (const [index, number] of numbers.entries()) {
        const answer = answers[index]
        let status = participantStatus(action, answer?.status ?? '500')
        const addRequest = answer?.content ? (answer.content.content as { tag: string; attrs: Record<string, string> }[] | undefined)?.find((node) => node.tag === 'add_request') : undefined
        // Their privacy settings refuse adds: WhatsApp hands out an invite the admin sends them instead.
        if (action === 'add' && answer?.status === '403' && addRequest) {
          // relayMessage rather than sendMessage({groupInvite}): that one first asks for the group's
          // picture, and a group without one answers 404, which would fail the invite.
          const invite = proto.Message.fromObject({
            groupInviteMessage: { groupJid: jid, inviteCode: addRequest.attrs.code, inviteExpiration: Number(addRequest.attrs.expiration), groupName: meta.subject, caption: `Join "${meta.subject}" on WhatsApp` },
          })
          await socket.relayMessage(pnJid(number), invite, { messageId: generateMessageIDV2(socket.user?.id) })
          status = 'invite_sent'
        }
        results.push({ number, jid: pnJid(number), status, code: Number(answer?.status ?? 500) })
      }
      return { updateParticipants: results }
    }],
    updateSubject: ['change', async (socket, payload, context) => {
      await socket.groupUpdateSubject(String(payload.groupJid), String(payload.subject))
      return infoAfterChange(socket, context, String(payload.groupJid))
    }],
    updateDescription: ['change', async (socket, payload, context) => {
      await socket.groupUpdateDescription(String(payload.groupJid), payload.description ? String(payload.description) : undefined)
      return infoAfterChange(socket, context, String(payload.groupJid))
    }],
    updatePicture: ['change', async (socket, payload, context) => {
      await socket.updateProfilePicture(String(payload.groupJid), await pictureBytes(String(payload.image), options.allowPrivateUrls))
      return { groupJid: String(payload.groupJid), update: 'success' }
    }],
    updateSetting: ['change', async (socket, payload, context) => {
      await socket.groupSettingUpdate(String(payload.groupJid), payload.action as 'announcement' | 'not_announcement' | 'locked' | 'unlocked')
      return infoAfterChange(socket, context, String(payload.groupJid))
    }],
    toggleEphemeral: ['change', async (socket, payload, context) => {
      await socket.groupToggleEphemeral(String(payload.groupJid), Number(payload.expiration))
      return infoAfterChange(socket, context, String(payload.groupJid))
    }],
    inviteCode: ['change', async (socket, payload) => {
      const code = await socket.groupInviteCode(String(payload.groupJid))
      return { groupJid: String(payload.groupJid), inviteCode: code, inviteUrl: `${INVITE_URL}${code}` }
    }],
    revokeInviteCode: ['change', async (socket, payload) => {
      const code = await socket.groupRevokeInvite(String(payload.groupJid))
      return { groupJid: String(payload.groupJid), revoked: true, inviteCode: code, inviteUrl: `${INVITE_URL}${code}` }
    }],
    inviteInfo: ['invite', async (socket, payload) => describeGroup(socket, await socket.groupGetInviteInfo(String(payload.inviteCode)))],
    acceptInvite: ['invite', async (socket, payload, context) => {
      const code = String(payload.inviteCode)
      const info = await socket.groupGetInviteInfo(code)
      // No group in the answer: the group wants an admin's approval first (whatsmeow's JoinGroupWithLink).
      const joined = await socket.groupAcceptInvite(code)
      if (joined) await refreshGroup(instanceIdOf(context), socket, jidNormalizedUser(joined))
      return { accepted: Boolean(joined), pendingApproval: !joined, groupJid: jidNormalizedUser(joined ?? info.id) }
    }],
    leave: ['change', async (socket, payload, context) => {
      const jid = String(payload.groupJid)
      await socket.groupLeave(jid)
      await forgetGroupMetadata(instanceIdOf(context), jid)
      return { groupJid: jid, leave: true }
    }],
    joinRequests: ['change', async (socket, payload) => {
      const requests = await socket.groupRequestParticipantsList(String(payload.groupJid))
      return {
        requests: await Promise.all(
          requests.map(async (request) => {
            const { admin: _admin, ...member } = await describeMember(socket, { id: request.jid, phoneNumber: request.phone_number, lid: request.lid })
            return { ...member, requestedAt: request.request_time ? Number(request.request_time) : null }
          }),
        ),
      }
    }],
    updateJoinRequests: ['change', async (socket, payload, context) => {
      const jid = String(payload.groupJid)
      const action = payload.action as 'approve' | 'reject'
      const numbers = payload.participants as string[]
      const answers = await socket.groupRequestParticipantsUpdate(jid, numbers.map(pnJid), action)
      if (action === 'approve') await refreshGroup(instanceIdOf(context), socket, jid)
      return {
        results: numbers.map((number, index) => {
          const code = answers[index]?.status ?? '500'
          return { number, jid: pnJid(number), status: code === '200' ? (action === 'approve' ? 'approved' : 'rejected') : code === '404' ? 'no_request' : 'refused', code: Number(code) }
        }),
      }
    }],
  }
}

export function groupHandlers(options: { allowPrivateUrls: boolean }): Record<string, CommandHandler> {
  const table = operations(options)
  return {
    group: async (context) => {
      const entry = table[String(context.payload.op)]
      if (!entry) throw new CommandError('internal_error', `Unknown group operation ${String(context.payload.op)}`)
      const [kind, run] = entry
      const socket = openSocket(context)
      try {
        return await run(socket, context.payload, context)
      } catch (error) {
        throw refusal(error, kind) ?? error
      }
    },
  }
}
