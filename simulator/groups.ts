// Groups: metadata IQs, w:gp2 notifications to every member's companions, and decrypting what a
// companion sends to a group (Baileys' side: node_modules/@whiskeysockets/baileys/lib/Socket/groups.js and
// node_modules/@whiskeysockets/baileys/lib/Signal/Group/).
import type { proto } from '@whiskeysockets/baileys'
import { bytesOf, children, node, unixNow, type BinaryNode } from './binary.js'
import type { Connection } from './connection.js'
import type { Hub } from './hub.js'
import { randomId } from './curve.js'
import { decryptSenderKeyMessage, hasSenderKey, processSenderKeyDistribution } from './group-crypto.js'
import { record } from './inbound.js'
import type { Account, Group } from './state.js'
import { normalisePhone } from './world.js'
import { memberJid, participantAttrs } from './addressing.js'

export const groupJid = (g: Group) => `${g.id}@g.us`
const pnJid = (phone: string) => `${phone}@s.whatsapp.net`

export function findGroup(hub: Hub, jid: string): Group | undefined {
  return hub.world.state.groups[jid.split('@')[0]]
}

function participantNode(hub: Hub, g: Group, phone: string, admin?: string): BinaryNode {
  const account = hub.world.account(phone)
  return node('participant', { ...(account ? participantAttrs(g, account) : { jid: pnJid(phone) }), type: admin })
}

/** How group stanzas name a member: by LID in LID-addressed groups, else by phone number. */
function memberOf(hub: Hub, g: Group, phone: string): string {
  const account = hub.world.account(phone)
  return account ? memberJid(g, account) : pnJid(phone)
}

/**
 * In LID-addressed groups a member named by LID has its number beside it, unless hidden: `creator_pn`,
 * `s_o_pn`, `participant_pn` (Baileys' extractGroupMetadata and handleGroupNotification read them).
 */
function pnBeside(hub: Hub, g: Group, phone: string): string | undefined {
  const account = hub.world.account(phone)
  if (g.addressingMode !== 'lid' || !account || account.addressing?.sharesPhoneNumber === false) return undefined
  return pnJid(phone)
}

/**
 * Groups are PN-addressed unless made LID-addressed (`addressing_mode="lid"`, participants by LID with
 * `phone_number`, as Baileys' `extractGroupMetadata` in lib/Socket/groups.js reads them). Settings
 * are empty children (`announcement`, `locked`, `ephemeral expiration`, `membership_approval_mode`),
 * as whatsmeow's `parseGroupNode` (group.go) reads them too.
 */
export function groupNode(hub: Hub, g: Group): BinaryNode {
  return node('group', {
    id: g.id,
    subject: g.subject,
    s_t: g.subjectTime,
    s_o: memberOf(hub, g, g.creator),
    s_o_pn: pnBeside(hub, g, g.creator),
    creation: g.creation,
    creator: memberOf(hub, g, g.creator),
    creator_pn: pnBeside(hub, g, g.creator),
    addressing_mode: g.addressingMode ?? 'pn',
    size: g.participants.length
  }, [
    ...g.participants.map((p) => participantNode(hub, g, p.phone, p.admin)),
    ...(g.description ? [node('description', { id: g.descriptionId ?? randomId(8), t: g.creation, participant: memberOf(hub, g, g.creator), participant_pn: pnBeside(hub, g, g.creator) }, [node('body', {}, Buffer.from(g.description))])] : []),
    ...(g.announce ? [node('announcement', {})] : []),
    ...(g.locked ? [node('locked', {})] : []),
    ...(g.ephemeral ? [node('ephemeral', { expiration: g.ephemeral })] : []),
    ...(g.joinApproval ? [node('membership_approval_mode', {}, [node('group_join', { state: 'on' })])] : [])
  ])
}

/** Tells every companion of the given accounts (default: all members; `only`: just those) about a change. */
export function notifyGroup(hub: Hub, g: Group, actor: string, change: BinaryNode, extraPhones: string[] = [], skip?: Connection, only?: string[]): void {
  const phones = new Set(only ?? [...g.participants.map((p) => p.phone), ...extraPhones])
  for (const phone of phones) {
    const account = hub.world.account(phone)
    for (const c of account?.companions ?? []) {
      if (skip?.login?.phone === phone && skip.login.deviceId === c.deviceId) continue
      hub.deliver(phone, c.deviceId, node('notification', {
        from: groupJid(g),
        type: 'w:gp2',
        id: randomId(8),
        t: unixNow(),
        participant: memberOf(hub, g, actor),
        participant_pn: pnBeside(hub, g, actor),
        notify: hub.world.account(actor)?.name
      }, [change]))
    }
  }
}

export class GroupError extends Error {
  constructor(message: string, readonly status = 400) {
    super(message)
  }
}

export const isAdmin = (g: Group, phone: string) => Boolean(g.participants.find((p) => p.phone === phone)?.admin)
export const isMember = (g: Group, phone: string) => g.participants.some((p) => p.phone === phone)

export function createGroup(hub: Hub, creatorPhone: string, subject: string, participantPhones: string[], skip?: Connection, addressingMode?: Group['addressingMode']): Group {
  const creator = hub.world.ensureAccount(creatorPhone)
  if (!creator) throw new GroupError(`${creatorPhone} is not on WhatsApp`, 409)
  const state = hub.world.state
  const now = unixNow()
  const g: Group = {
    id: `120363${String(state.nextGroup++).padStart(12, '0')}`,
    subject,
    creator: creator.phone,
    creation: now,
    subjectTime: now,
    participants: [{ phone: creator.phone, admin: 'superadmin' }],
    ...(addressingMode ? { addressingMode } : {})
  }
  for (const raw of participantPhones) {
    const a = hub.world.ensureAccount(raw)
    // Someone whose privacy refuses group adds is left out, as an add would be (changeParticipants).
    if (a && !a.refusesGroupAdds && !g.participants.some((p) => p.phone === a.phone)) g.participants.push({ phone: a.phone })
  }
  state.groups[g.id] = g
  hub.world.changed()
  notifyGroup(hub, g, creator.phone, node('create', { reason: 'create', method: 'create' }, [groupNode(hub, g)]), [], skip)
  return g
}

export type ParticipantAction = 'add' | 'remove' | 'promote' | 'demote'

/**
 * One participant's outcome as the IQ answers it: no error, or WhatsApp's code: 404 not on WhatsApp
 * (add) or not a member (remove, promote, demote), 409 already a member, 403 the person's privacy
 * settings refuse adds, with an `add_request` invite the admin may send instead.
 */
export type ParticipantOutcome = { phone: string; jid: string; error?: 403 | 404 | 409; addRequest?: { code: string; expiration: number } }

/** Resolves a participant named by PN or LID JID, or by bare number (the control API). */
function accountNamed(hub: Hub, name: string, create: boolean): Account | undefined {
  return name.includes('@') ? hub.world.accountForJid(name, create) : create ? hub.world.ensureAccount(name) : hub.world.account(name)
}

export function changeParticipants(hub: Hub, g: Group, actorPhone: string, action: ParticipantAction, names: string[], skip?: Connection): ParticipantOutcome[] {
  const outcomes: ParticipantOutcome[] = []
  const affected: string[] = []
  for (const name of names) {
    const account = accountNamed(hub, name, action === 'add')
    const jid = name.includes('@') ? name : pnJid(normalisePhone(name))
    if (!account) {
      outcomes.push({ phone: normalisePhone(name.split('@')[0]), jid, error: 404 })
      continue
    }
    const phone = account.phone
    const member = g.participants.find((p) => p.phone === phone)
    const outcome: ParticipantOutcome = { phone, jid }
    if (action === 'add') {
      if (member) outcome.error = 409
      else if (account.refusesGroupAdds) {
        outcome.error = 403
        outcome.addRequest = { code: randomId(8), expiration: unixNow() + 3 * 86400 }
      } else g.participants.push({ phone })
    } else if (!member) outcome.error = 404
    else if (action === 'remove') g.participants = g.participants.filter((p) => p !== member)
    else if (action === 'promote') member.admin = 'admin'
    else delete member.admin
    if (!outcome.error) affected.push(phone)
    outcomes.push(outcome)
  }
  hub.world.changed()
  if (affected.length) {
    // removed members still hear about their own removal
    notifyGroup(hub, g, actorPhone, node(action, {}, affected.map((p) => participantNode(hub, g, p))), action === 'remove' ? affected : [], skip)
  }
  return outcomes
}

/** A participant node of an IQ answer: the member as the group names it, or the JID as asked, with the error. */
export function outcomeNode(hub: Hub, g: Group, outcome: ParticipantOutcome): BinaryNode {
  const account = outcome.error === 404 ? undefined : hub.world.account(outcome.phone)
  const attrs = account && !outcome.error ? participantAttrs(g, account) : { jid: outcome.jid }
  return node('participant', { ...attrs, error: outcome.error }, outcome.addRequest ? [node('add_request', { code: outcome.addRequest.code, expiration: outcome.addRequest.expiration })] : undefined)
}

export function changeSubject(hub: Hub, g: Group, actorPhone: string, subject: string, skip?: Connection): void {
  g.subject = subject
  g.subjectTime = unixNow()
  hub.world.changed()
  notifyGroup(hub, g, actorPhone, node('subject', { subject, s_o: memberOf(hub, g, actorPhone), s_t: g.subjectTime }), [], skip)
}

export function memberName(hub: Hub, g: Group, phone: string): string {
  return memberOf(hub, g, phone)
}

export interface GroupDelivery {
  deliverSenderKeyMessage(stanza: BinaryNode, sender: Account, senderDevice: number): Promise<{ account: Account; jid: string }[]>
}

/** For a companion's message to a group: decrypt the sender-key ciphertext for every simulated member. */
export function groupOf(hub: Hub, jid: string): GroupDelivery | undefined {
  const g = findGroup(hub, jid)
  if (!g) return undefined
  return {
    async deliverSenderKeyMessage(stanza, sender, senderDevice) {
      const skmsg = children(stanza, 'enc').find((e) => e.attrs.type === 'skmsg')
      const delivered: { account: Account; jid: string }[] = []
      if (!skmsg) return delivered
      for (const p of g.participants) {
        const member = hub.world.account(p.phone)
        if (!member || member === sender || !hasSenderKey(member, jid, sender.phone, senderDevice)) continue
        try {
          const message = await decryptSenderKeyMessage(member, () => hub.world.changed(), jid, sender.phone, senderDevice, bytesOf(skmsg))
          await record(hub, member, {
            id: stanza.attrs.id,
            from: `${sender.phone}:${senderDevice}@s.whatsapp.net`,
            chat: jid,
            device: 0,
            type: stanza.attrs.type,
            mediatype: skmsg.attrs.mediatype,
            edit: stanza.attrs.edit,
            message: JSON.parse(JSON.stringify(message)),
            receivedAt: Date.now()
          }, message)
          delivered.push({ account: member, jid: pnJid(member.phone) })
        } catch (err) {
          member.inbox.push({ id: stanza.attrs.id, from: `${sender.phone}:${senderDevice}@s.whatsapp.net`, chat: jid, device: 0, type: 'error', message: { error: String(err) }, receivedAt: Date.now() })
        }
      }
      return delivered
    }
  }
}

/** A member's 1:1 copy of a group send: normally just the sender key distribution. */
export async function decryptGroupCopy(hub: Hub, target: Account, sender: Account, senderDevice: number, _stanza: BinaryNode, message: proto.IMessage): Promise<void> {
  const inner = message.deviceSentMessage?.message ?? message
  if (inner.senderKeyDistributionMessage) {
    await processSenderKeyDistribution(target, () => hub.world.changed(), sender.phone, senderDevice, inner.senderKeyDistributionMessage)
  }
}
