// Groups: metadata IQs, w:gp2 notifications to every member's companions, and decrypting what a
// companion sends to a group (Baileys' side: node_modules/@whiskeysockets/baileys/lib/Socket/groups.js and
// node_modules/@whiskeysockets/baileys/lib/Signal/Group/).
import { jidDecode, type proto } from '@whiskeysockets/baileys'
import { bytesOf, child, children, firstChild, iqError, iqResult, node, textOf, unixNow, type BinaryNode } from './binary.js'
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
 * Groups are PN-addressed unless made LID-addressed (`addressing_mode="lid"`, participants by LID with
 * `phone_number`, as Baileys' `extractGroupMetadata` in lib/Socket/groups.js reads them).
 */
export function groupNode(hub: Hub, g: Group): BinaryNode {
  return node('group', {
    id: g.id,
    subject: g.subject,
    s_t: g.subjectTime,
    s_o: memberOf(hub, g, g.creator),
    creation: g.creation,
    creator: memberOf(hub, g, g.creator),
    addressing_mode: g.addressingMode ?? 'pn',
    size: g.participants.length
  }, [
    ...g.participants.map((p) => participantNode(hub, g, p.phone, p.admin)),
    ...(g.description ? [node('description', { id: randomId(8), t: g.creation, participant: memberOf(hub, g, g.creator) }, [node('body', {}, Buffer.from(g.description))])] : [])
  ])
}

/** Tells every companion of the given accounts (default: all members) about a change. */
export function notifyGroup(hub: Hub, g: Group, actor: string, change: BinaryNode, extraPhones: string[] = [], skip?: Connection): void {
  const phones = new Set([...g.participants.map((p) => p.phone), ...extraPhones])
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
    if (a && !g.participants.some((p) => p.phone === a.phone)) g.participants.push({ phone: a.phone })
  }
  state.groups[g.id] = g
  hub.world.changed()
  notifyGroup(hub, g, creator.phone, node('create', { reason: 'create', method: 'create' }, [groupNode(hub, g)]), [], skip)
  return g
}

export type ParticipantAction = 'add' | 'remove' | 'promote' | 'demote'

export function changeParticipants(hub: Hub, g: Group, actorPhone: string, action: ParticipantAction, phones: string[], skip?: Connection): string[] {
  const affected: string[] = []
  for (const raw of phones) {
    const phone = normalisePhone(raw)
    const member = g.participants.find((p) => p.phone === phone)
    if (action === 'add' && !member && hub.world.ensureAccount(phone)) {
      g.participants.push({ phone })
      affected.push(phone)
    } else if (action === 'remove' && member) {
      g.participants = g.participants.filter((p) => p !== member)
      affected.push(phone)
    } else if (action === 'promote' && member) {
      member.admin = 'admin'
      affected.push(phone)
    } else if (action === 'demote' && member) {
      delete member.admin
      affected.push(phone)
    }
  }
  hub.world.changed()
  if (affected.length) {
    // removed members still hear about their own removal
    notifyGroup(hub, g, actorPhone, node(action, {}, affected.map((p) => participantNode(hub, g, p))), action === 'remove' ? affected : [], skip)
  }
  return affected
}

export function changeSubject(hub: Hub, g: Group, actorPhone: string, subject: string, skip?: Connection): void {
  g.subject = subject
  g.subjectTime = unixNow()
  hub.world.changed()
  notifyGroup(hub, g, actorPhone, node('subject', { subject, s_o: memberOf(hub, g, actorPhone), s_t: g.subjectTime }), [], skip)
}

/** w:g2 IQs from a companion. */
export function handleGroupIq(hub: Hub, conn: Connection, iq: BinaryNode): void {
  const { id, to, type } = iq.attrs
  const req = firstChild(iq)
  const me = conn.login?.phone
  if (!me || !req) return conn.send(iqResult(id))
  try {
    if (to === '@g.us' || to === 'g.us') {
      if (req.tag === 'participating') {
        const mine = Object.values(hub.world.state.groups).filter((g) => g.participants.some((p) => p.phone === me))
        return conn.send(iqResult(id, [node('groups', {}, mine.map((g) => groupNode(hub, g)))]))
      }
      if (req.tag === 'create') {
        const phones = children(req, 'participant').map((p) => jidDecode(p.attrs.jid)?.user ?? '')
        const g = createGroup(hub, me, req.attrs.subject ?? '', phones, conn)
        return conn.send(iqResult(id, [groupNode(hub, g)]))
      }
      if (req.tag === 'leave') {
        for (const gnode of children(req, 'group')) {
          const g = findGroup(hub, gnode.attrs.id)
          if (g) changeParticipants(hub, g, me, 'remove', [me])
        }
        return conn.send(iqResult(id))
      }
      return conn.send(iqResult(id))
    }
    const g = findGroup(hub, to)
    if (!g) return conn.send(iqError(id, 404, 'item-not-found'))
    if (type === 'get' && req.tag === 'query') return conn.send(iqResult(id, [groupNode(hub, g)]))
    if (['add', 'remove', 'promote', 'demote'].includes(req.tag)) {
      const phones = children(req, 'participant').map((p) => jidDecode(p.attrs.jid)?.user ?? '')
      const done = changeParticipants(hub, g, me, req.tag as ParticipantAction, phones, conn)
      return conn.send(iqResult(id, [node(req.tag, {}, phones.map((p) =>
        node('participant', { jid: pnJid(normalisePhone(p)), error: done.includes(normalisePhone(p)) ? undefined : 406 })))]))
    }
    if (req.tag === 'subject') {
      changeSubject(hub, g, me, textOf(req), conn)
      return conn.send(iqResult(id))
    }
    if (req.tag === 'description') {
      g.description = req.attrs.delete === 'true' ? undefined : bytesOf(child(req, 'body')).toString('utf8')
      hub.world.changed()
      return conn.send(iqResult(id))
    }
    conn.send(iqResult(id))
  } catch (err) {
    conn.send(iqError(id, err instanceof GroupError ? err.status : 500, String((err as Error).message)))
  }
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
