// Control-API routes for groups.
import type { Hub } from './hub.js'
import { HttpError, requireAccount, type Route } from './control-api.js'
import { changeParticipants, changeSubject, createGroup, findGroup, groupJid, GroupError, memberName, notifyGroup, type ParticipantAction } from './groups.js'
import { inviteCodeOf, joinByInvite, metadataQueryCount } from './group-iqs.js'
import { node } from './binary.js'
import { composeMessage, type ComposeInput } from './compose.js'
import { composeVote } from './polls.js'
import { sendFromPhone } from './outbound.js'
import type { Group } from './state.js'
import { memberJid } from './addressing.js'

const summary = (g: Group) => ({
  jid: groupJid(g),
  subject: g.subject,
  creator: g.creator,
  creation: g.creation,
  participants: g.participants,
  addressingMode: g.addressingMode ?? 'pn',
  description: g.description ?? null,
  announce: Boolean(g.announce),
  locked: Boolean(g.locked),
  ephemeral: g.ephemeral ?? 0,
  joinApproval: Boolean(g.joinApproval),
  joinRequests: (g.joinRequests ?? []).map((r) => r.phone),
  inviteCode: g.inviteCode ?? null,
  pictureId: g.pictureId ?? null
})

function addressingModeFrom(value: unknown): Group['addressingMode'] {
  if (value === undefined) return undefined
  if (value !== 'pn' && value !== 'lid') throw new HttpError(400, 'addressingMode must be pn or lid')
  return value
}

function requireGroup(hub: Hub, jid: string): Group {
  const g = findGroup(hub, jid)
  if (!g) throw new HttpError(404, `no group ${jid}`)
  return g
}

function wrap<T>(fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    if (err instanceof GroupError) throw new HttpError(err.status, err.message)
    throw err
  }
}

export function groupRoutes(hub: Hub): Route[] {
  return [
    ['GET', /^\/groups$/, () => Object.values(hub.world.state.groups).map(summary)],
    ['POST', /^\/groups$/, (_p, body) => {
      const addressingMode = addressingModeFrom(body.addressingMode)
      return wrap(() => summary(createGroup(hub, String(body.creator ?? ''), String(body.subject ?? ''), (body.participants ?? []) as string[], undefined, addressingMode)))
    }],
    ['PUT', /^\/groups\/([^/]+)\/addressing$/, ([jid], body) => {
      const g = requireGroup(hub, jid)
      g.addressingMode = addressingModeFrom(body.addressingMode ?? 'pn')
      hub.world.changed()
      return summary(g)
    }],
    ['GET', /^\/groups\/([^/]+)$/, ([jid]) => {
      const g = requireGroup(hub, jid)
      return { ...summary(g), metadataQueries: metadataQueryCount(hub, g) }
    }],
    // The group's link, as an admin's phone would share it.
    ['GET', /^\/groups\/([^/]+)\/invite$/, ([jid]) => ({ code: inviteCodeOf(hub, requireGroup(hub, jid)) })],
    // `phone` opens an invite link: joins, or asks to join when approval is on.
    ['POST', /^\/invites\/([^/]+)\/join$/, ([code], body) => {
      const phone = requireAccount(hub, String(body.phone ?? '')).phone
      const answer = wrap(() => joinByInvite(hub, phone, code))
      return { joined: answer.tag === 'group', requested: answer.tag === 'membership_approval_request', group: answer.attrs.jid }
    }],
    // An admin's phone turns join approval on or off (members hear of it).
    ['PUT', /^\/groups\/([^/]+)\/join-approval$/, ([jid], body) => {
      const g = requireGroup(hub, jid)
      const by = requireAccount(hub, String(body.by ?? g.creator)).phone
      g.joinApproval = body.enabled !== false
      hub.world.changed()
      notifyGroup(hub, g, by, node('membership_approval_mode', {}, [node('group_join', { state: g.joinApproval ? 'on' : 'off', by: memberName(hub, g, by) })]))
      return summary(g)
    }],
    // An admin's phone changes who may send (announce) or edit the group's info (locked).
    ['PUT', /^\/groups\/([^/]+)\/settings$/, ([jid], body) => {
      const g = requireGroup(hub, jid)
      const by = requireAccount(hub, String(body.by ?? g.creator)).phone
      for (const [field, on, off] of [['announce', 'announcement', 'not_announcement'], ['locked', 'locked', 'unlocked']] as const) {
        if (typeof body[field] !== 'boolean' || Boolean(g[field]) === body[field]) continue
        g[field] = body[field]
        notifyGroup(hub, g, by, node(body[field] ? on : off, {}))
      }
      hub.world.changed()
      return summary(g)
    }],
    // The account's "who can add me to groups" privacy: nobody → adds get 403 with an invite.
    ['PUT', /^\/accounts\/(\d+)\/group-add-privacy$/, ([phone], body) => {
      const account = requireAccount(hub, phone)
      account.refusesGroupAdds = body.groupAdd === 'nobody'
      hub.world.changed()
      return { phone: account.phone, groupAdd: account.refusesGroupAdds ? 'nobody' : 'all' }
    }],
    ['POST', /^\/groups\/([^/]+)\/participants$/, ([jid], body) => {
      const g = requireGroup(hub, jid)
      const action = String(body.action) as ParticipantAction
      if (!['add', 'remove', 'promote', 'demote'].includes(action)) throw new HttpError(400, 'action must be add, remove, promote or demote')
      const by = requireAccount(hub, String(body.by ?? g.creator))
      const outcomes = changeParticipants(hub, g, by.phone, action, (body.participants ?? []) as string[])
      return { affected: outcomes.filter((o) => !o.error).map((o) => o.phone), outcomes, group: summary(g) }
    }],
    ['POST', /^\/groups\/([^/]+)\/subject$/, ([jid], body) => {
      const g = requireGroup(hub, jid)
      changeSubject(hub, g, requireAccount(hub, String(body.by ?? g.creator)).phone, String(body.subject ?? ''))
      return summary(g)
    }],
    // A member's phone posts to the group. Each companion gets a 1:1 Signal
    // ciphertext inside the group stanza instead of a sender-key message:
    // Baileys decrypts either, and this keeps the simulated side simple.
    ['POST', /^\/groups\/([^/]+)\/send$/, async ([jid], body) => {
      const g = requireGroup(hub, jid)
      const from = requireAccount(hub, String(body.from ?? ''))
      if (!g.participants.some((p) => p.phone === from.phone)) throw new HttpError(409, `${from.phone} is not in ${jid}`)
      const input = body as ComposeInput
      if (input.revoke?.participant) {
        // an admin deleting a member's post names that member as the group addresses it
        const named = input.revoke.participant
        const author = named.includes('@') ? hub.world.accountForJid(named, false) : hub.world.account(named)
        if (!author) throw new HttpError(404, `no account ${named}`)
        input.revoke = { ...input.revoke, participant: memberJid(g, author) }
      }
      const message = input.vote ? composeVote(from, input.vote, groupJid(g)) : composeMessage(input, hub.media, groupJid(g))
      const id = typeof body.id === 'string' ? body.id : undefined
      let result: { id: string; deliveries: unknown[] } | undefined
      for (const p of g.participants) {
        const to = hub.world.account(p.phone)
        if (!to || to === from || !to.companions.length) continue
        const r = await sendFromPhone(hub, from, to, message, { id: result?.id ?? id, group: g })
        result = { id: r.id, deliveries: [...(result?.deliveries ?? []), ...r.deliveries.map((d) => ({ ...d, phone: to.phone }))] }
      }
      return result ?? { id: null, deliveries: [] }
    }]
  ]
}
