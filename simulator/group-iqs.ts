// w:g2 IQs from a companion, answered as WhatsApp does: the requests are the ones Baileys sends
// (node_modules/@whiskeysockets/baileys/lib/Socket/groups.js), the answers and error codes the ones
// Baileys and whatsmeow (group.go: GetGroupInviteLink, JoinGroupWithLink, getGroupInfo) read.
// Admin rights are enforced: a non-admin's add, remove, promote, demote, settings change or join
// request handling is refused 403 forbidden, its invite-link request 401 not-authorized; in a locked
// group the subject, description, picture and timer are admin-only too. README.md, "Groups".
import { randomBytes } from 'node:crypto'
import { jidDecode } from '@whiskeysockets/baileys'
import { bytesOf, child, children, firstChild, iqError, iqResult, node, textOf, unixNow, type BinaryNode } from './binary.js'
import type { Connection } from './connection.js'
import type { Hub } from './hub.js'
import { randomId } from './curve.js'
import type { Group } from './state.js'
import { participantAttrs } from './addressing.js'
import {
  changeParticipants,
  changeSubject,
  createGroup,
  findGroup,
  groupJid,
  GroupError,
  groupNode,
  isAdmin,
  isMember,
  memberName,
  notifyGroup,
  outcomeNode,
  type ParticipantAction
} from './groups.js'

const metadataQueries = new WeakMap<Hub, Map<string, number>>()

/** How many metadata queries (`<query request="interactive"/>`) companions sent for a group: tests assert caching with it. */
export function metadataQueryCount(hub: Hub, g: Group): number {
  return metadataQueries.get(hub)?.get(g.id) ?? 0
}

function countMetadataQuery(hub: Hub, g: Group): void {
  const counts = metadataQueries.get(hub) ?? new Map<string, number>()
  metadataQueries.set(hub, counts)
  counts.set(g.id, (counts.get(g.id) ?? 0) + 1)
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** Invite-link codes are 22 letters and digits (chat.whatsapp.com/<code>). */
function newInviteCode(): string {
  return [...randomBytes(22)].map((b) => ALNUM[b % ALNUM.length]).join('')
}

export function inviteCodeOf(hub: Hub, g: Group): string {
  if (!g.inviteCode) {
    g.inviteCode = newInviteCode()
    hub.world.changed()
  }
  return g.inviteCode
}

export function revokeInviteCode(hub: Hub, g: Group): string {
  if (g.inviteCode) g.revokedInviteCodes = [...(g.revokedInviteCodes ?? []), g.inviteCode]
  g.inviteCode = newInviteCode()
  hub.world.changed()
  return g.inviteCode
}

/** The group a code opens: 410 gone for a revoked code, 406 not-acceptable for one never issued (whatsmeow's ErrInviteLinkRevoked / ErrInviteLinkInvalid). */
function groupByInvite(hub: Hub, code: string): Group {
  const groups = Object.values(hub.world.state.groups)
  const g = groups.find((candidate) => candidate.inviteCode === code)
  if (g) return g
  if (groups.some((candidate) => candidate.revokedInviteCodes?.includes(code))) throw new GroupError('gone', 410)
  throw new GroupError('not-acceptable', 406)
}

/**
 * Someone uses an invite link: joins at once, or, with join approval on, waits for an admin
 * (`created_membership_requests` to the admins). Returns the answer's child node.
 */
export function joinByInvite(hub: Hub, phone: string, code: string, skip?: Connection): BinaryNode {
  const g = groupByInvite(hub, code)
  if (!isMember(g, phone)) {
    if (g.joinApproval) {
      if (!g.joinRequests?.some((r) => r.phone === phone)) {
        g.joinRequests = [...(g.joinRequests ?? []), { phone, t: unixNow() }]
        hub.world.changed()
        const admins = g.participants.filter((p) => p.admin).map((p) => p.phone)
        notifyGroup(hub, g, phone, node('created_membership_requests', { request_method: 'invite_link' }, [node('participant', { jid: memberName(hub, g, phone) })]), [], skip, admins)
      }
      return node('membership_approval_request', { jid: groupJid(g) })
    }
    g.participants.push({ phone })
    hub.world.changed()
    const account = hub.world.account(phone)
    notifyGroup(hub, g, phone, node('add', { reason: 'invite' }, [node('participant', account ? participantAttrs(g, account) : { jid: `${phone}@s.whatsapp.net` })]), [], skip)
  }
  return node('group', { jid: groupJid(g) })
}

/** Approves or rejects requests to join; each named participant answers alone (404: no such request). */
function actOnJoinRequests(hub: Hub, g: Group, actor: string, action: 'approve' | 'reject', jids: string[], skip: Connection): BinaryNode[] {
  const approved: string[] = []
  const answers = jids.map((jid) => {
    const account = hub.world.accountForJid(jid, false)
    const request = account && g.joinRequests?.find((r) => r.phone === account.phone)
    if (!account || !request) return node('participant', { jid, error: 404 })
    g.joinRequests = g.joinRequests!.filter((r) => r !== request)
    if (action === 'approve' && !isMember(g, account.phone)) {
      g.participants.push({ phone: account.phone })
      approved.push(account.phone)
    }
    return node('participant', { jid })
  })
  hub.world.changed()
  if (approved.length) {
    notifyGroup(hub, g, actor, node('add', { reason: 'approval' }, approved.map((phone) => node('participant', participantAttrs(g, hub.world.account(phone)!)))), [], skip)
  }
  return answers
}

const SETTINGS = { announcement: ['announce', true], not_announcement: ['announce', false], locked: ['locked', true], unlocked: ['locked', false] } as const

function requireAdmin(g: Group, phone: string): void {
  if (!isAdmin(g, phone)) throw new GroupError('forbidden', 403)
}

/** Subject, description, picture and timer: anyone in an unlocked group, admins only in a locked one. */
function requireInfoRights(g: Group, phone: string): void {
  if (g.locked) requireAdmin(g, phone)
}

export function handleGroupIq(hub: Hub, conn: Connection, iq: BinaryNode): void {
  const { id, to } = iq.attrs
  const req = firstChild(iq)
  const me = conn.login?.phone
  if (!me || !req) return conn.send(iqResult(id))
  try {
    if (to === '@g.us' || to === 'g.us') return conn.send(iqResult(id, serverRequest(hub, conn, me, iq, req)))
    const g = findGroup(hub, to)
    if (!g) throw new GroupError('item-not-found', 404)
    // WhatsApp tells a non-member nothing about a group but that it may not look (whatsmeow: ErrNotInGroup).
    if (!isMember(g, me)) throw new GroupError('forbidden', 403)
    conn.send(iqResult(id, groupRequest(hub, conn, me, g, iq, req)))
  } catch (err) {
    conn.send(iqError(id, err instanceof GroupError ? err.status : 500, String((err as Error).message)))
  }
}

/** IQs to the groups server (`@g.us`): list, create, leave, invite-link info and join. */
function serverRequest(hub: Hub, conn: Connection, me: string, iq: BinaryNode, req: BinaryNode): BinaryNode[] | undefined {
  switch (req.tag) {
    case 'participating': {
      const mine = Object.values(hub.world.state.groups).filter((g) => isMember(g, me))
      return [node('groups', {}, mine.map((g) => groupNode(hub, g)))]
    }
    case 'create': {
      const phones = children(req, 'participant').map((p) => hub.world.accountForJid(p.attrs.jid)?.phone ?? jidDecode(p.attrs.jid)?.user ?? '')
      return [groupNode(hub, createGroup(hub, me, req.attrs.subject ?? '', phones, conn))]
    }
    case 'leave':
      for (const gnode of children(req, 'group')) {
        const g = findGroup(hub, gnode.attrs.id)
        if (g && isMember(g, me)) changeParticipants(hub, g, me, 'remove', [me])
      }
      return undefined
    case 'invite': {
      const code = req.attrs.code ?? ''
      if (iq.attrs.type === 'get') return [groupNode(hub, groupByInvite(hub, code))]
      return [joinByInvite(hub, me, code, conn)]
    }
  }
  return undefined
}

/** IQs to one group the sender is a member of. */
function groupRequest(hub: Hub, conn: Connection, me: string, g: Group, iq: BinaryNode, req: BinaryNode): BinaryNode[] | undefined {
  const type = iq.attrs.type
  switch (req.tag) {
    case 'query':
      if (type !== 'get') break
      countMetadataQuery(hub, g)
      return [groupNode(hub, g)]
    case 'add':
    case 'remove':
    case 'promote':
    case 'demote': {
      requireAdmin(g, me)
      const outcomes = changeParticipants(hub, g, me, req.tag as ParticipantAction, children(req, 'participant').map((p) => p.attrs.jid), conn)
      return [node(req.tag, {}, outcomes.map((o) => outcomeNode(hub, g, o)))]
    }
    case 'subject':
      requireInfoRights(g, me)
      changeSubject(hub, g, me, textOf(req), conn)
      return undefined
    case 'description': {
      requireInfoRights(g, me)
      const deleted = req.attrs.delete === 'true'
      g.description = deleted ? undefined : bytesOf(child(req, 'body')).toString('utf8')
      g.descriptionId = deleted ? undefined : (req.attrs.id ?? randomId(8))
      hub.world.changed()
      const body = deleted ? [node('delete', {})] : [node('body', {}, Buffer.from(g.description ?? ''))]
      notifyGroup(hub, g, me, node('description', { id: req.attrs.id ?? randomId(8) }, body), [], conn)
      return undefined
    }
    case 'announcement':
    case 'not_announcement':
    case 'locked':
    case 'unlocked': {
      requireAdmin(g, me)
      const [field, value] = SETTINGS[req.tag]
      g[field] = value
      hub.world.changed()
      notifyGroup(hub, g, me, node(req.tag, {}), [], conn)
      return undefined
    }
    case 'ephemeral':
    case 'not_ephemeral': {
      requireInfoRights(g, me)
      const expiration = req.tag === 'ephemeral' ? Number(req.attrs.expiration ?? 0) : 0
      g.ephemeral = expiration || undefined
      hub.world.changed()
      notifyGroup(hub, g, me, expiration ? node('ephemeral', { expiration }) : node('not_ephemeral', {}), [], conn)
      return undefined
    }
    case 'invite':
      if (!isAdmin(g, me)) throw new GroupError('not-authorized', 401)
      return [node('invite', { code: type === 'set' ? revokeInviteCode(hub, g) : inviteCodeOf(hub, g) })]
    case 'membership_approval_mode': {
      requireAdmin(g, me)
      g.joinApproval = child(req, 'group_join')?.attrs.state === 'on'
      hub.world.changed()
      notifyGroup(hub, g, me, node('membership_approval_mode', {}, [node('group_join', { state: g.joinApproval ? 'on' : 'off' })]), [], conn)
      return undefined
    }
    case 'membership_approval_requests':
      requireAdmin(g, me)
      return [node('membership_approval_requests', {}, (g.joinRequests ?? []).map((r) => {
        const account = hub.world.account(r.phone)
        return node('membership_approval_request', { ...(account ? participantAttrs(g, account) : { jid: `${r.phone}@s.whatsapp.net` }), request_time: r.t })
      }))]
    case 'membership_requests_action': {
      requireAdmin(g, me)
      const act = firstChild(req)
      if (!act || (act.tag !== 'approve' && act.tag !== 'reject')) throw new GroupError('bad-request', 400)
      const answers = actOnJoinRequests(hub, g, me, act.tag, children(act, 'participant').map((p) => p.attrs.jid), conn)
      return [node('membership_requests_action', {}, [node(act.tag, {}, answers)])]
    }
  }
  return undefined
}

/**
 * A group's picture (`w:profile:picture` with `target` the group, Baileys' `updateProfilePicture`
 * in lib/Socket/chats.js; whatsmeow's SetGroupPhoto reads `<picture id>` back). Members get a
 * `picture` notification with `<set id author>` (Baileys' messages-recv.js, case 'picture').
 */
export function handleGroupPictureIq(hub: Hub, conn: Connection, iq: BinaryNode): void {
  const { id, target } = iq.attrs
  const me = conn.login?.phone
  try {
    const g = findGroup(hub, target ?? '')
    if (!g || !me) throw new GroupError('item-not-found', 404)
    if (iq.attrs.type === 'get') {
      // Baileys' profilePictureUrl; the simulator serves no picture files, so there is no url to give.
      if (!g.pictureId) throw new GroupError('item-not-found', 404)
      return conn.send(iqResult(id, [node('picture', { id: g.pictureId, type: child(iq, 'picture')?.attrs.type ?? 'preview' })]))
    }
    if (!isMember(g, me)) throw new GroupError('forbidden', 403)
    requireInfoRights(g, me)
    const picture = child(iq, 'picture')
    if (picture && bytesOf(picture).length === 0) throw new GroupError('not-acceptable', 406)
    g.pictureId = picture ? String(unixNow()) : undefined
    hub.world.changed()
    const author = memberName(hub, g, me)
    for (const p of g.participants) {
      for (const c of hub.world.account(p.phone)?.companions ?? []) {
        if (p.phone === me && c.deviceId === conn.login?.deviceId) continue
        hub.deliver(p.phone, c.deviceId, node('notification', { from: groupJid(g), type: 'picture', id: randomId(8), t: unixNow() }, [
          g.pictureId ? node('set', { id: g.pictureId, author }) : node('delete', { author })
        ]))
      }
    }
    conn.send(iqResult(id, g.pictureId ? [node('picture', { id: g.pictureId })] : undefined))
  } catch (err) {
    conn.send(iqError(id, err instanceof GroupError ? err.status : 500, String((err as Error).message)))
  }
}
