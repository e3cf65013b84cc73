// Groups as our API and events name them, and the Postgres copy of their metadata that Baileys reads
// as `cachedGroupMetadata` (so a send to a group does not ask WhatsApp for its members each time).
// Baileys' shapes: node_modules/@whiskeysockets/baileys/lib/Socket/groups.js (`extractGroupMetadata`)
// and lib/Utils/process-message.js (`groups.update`, `group-participants.update`).
import { isLidUser, isPnUser, jidNormalizedUser, type GroupMetadata, type GroupParticipant, type WASocket } from '@whiskeysockets/baileys'
import { recordEventAlone } from '@/lib/store/events'
import { forgetGroupMetadata, patchGroupMetadata, readGroupMetadata, saveGroupMetadata } from '@/lib/store/groups'
import type { InstanceIdentity } from '@/lib/events/types'
import { identityOf } from './addressing'

/** A member: `id` is the phone-number JID whenever it is known (LID-addressed groups name members by LID), else the LID. */
export type GroupMember = { id: string; phoneNumber: string | null; lid: string | null; admin: 'admin' | 'superadmin' | null }

export type GroupInfo = {
  id: string
  subject: string
  subjectOwner: string | null
  subjectTime: number | null
  owner: string | null
  creation: number | null
  desc: string | null
  descId: string | null
  size: number
  announce: boolean
  restrict: boolean
  joinApprovalMode: boolean
  memberAddMode: boolean
  ephemeralDuration: number
  addressingMode: 'pn' | 'lid'
  isCommunity: boolean
  linkedParent: string | null
  participants?: GroupMember[]
}

/** A member by whichever JID WhatsApp used, with its other identity when WhatsApp or Baileys' LID mapping knows it. */
export async function describeMember(socket: WASocket | undefined, participant: Pick<GroupParticipant, 'id'> & Partial<GroupParticipant>): Promise<GroupMember> {
  const { jid, alt } = await identityOf(socket, participant.id, participant.phoneNumber ?? participant.lid ?? null)
  const both = [jid, alt].filter((value): value is string => Boolean(value))
  return {
    id: jid,
    phoneNumber: both.find((value) => isPnUser(value)) ?? null,
    lid: both.find((value) => isLidUser(value)) ?? null,
    admin: participant.admin ?? null,
  }
}

async function personOf(socket: WASocket | undefined, jid: string | undefined, pn?: string): Promise<string | null> {
  return jid ? (await identityOf(socket, jid, pn)).jid : null
}

export async function describeGroup(socket: WASocket | undefined, meta: GroupMetadata, options: { participants: boolean } = { participants: true }): Promise<GroupInfo> {
  const info: GroupInfo = {
    id: jidNormalizedUser(meta.id),
    subject: meta.subject ?? '',
    subjectOwner: await personOf(socket, meta.subjectOwner, meta.subjectOwnerPn),
    subjectTime: meta.subjectTime || null,
    owner: await personOf(socket, meta.owner, meta.ownerPn),
    creation: meta.creation || null,
    desc: meta.desc ?? null,
    descId: meta.descId ?? null,
    size: meta.size ?? meta.participants?.length ?? 0,
    announce: Boolean(meta.announce),
    restrict: Boolean(meta.restrict),
    joinApprovalMode: Boolean(meta.joinApprovalMode),
    memberAddMode: Boolean(meta.memberAddMode),
    ephemeralDuration: meta.ephemeralDuration ?? 0,
    addressingMode: meta.addressingMode === 'lid' ? 'lid' : 'pn',
    isCommunity: Boolean(meta.isCommunity),
    linkedParent: meta.linkedParent ?? null,
  }
  if (options.participants) info.participants = await Promise.all((meta.participants ?? []).map((p) => describeMember(socket, p)))
  return info
}

/** The identities one Baileys participant may be named by (its JID, and its PN or LID beside it). */
function namesOf(participant: Partial<GroupParticipant>): string[] {
  return [participant.id, participant.phoneNumber, participant.lid].filter((value): value is string => Boolean(value)).map((value) => jidNormalizedUser(value))
}

/** The instance's own identities (PN and LID), to tell when it left or was removed. */
function ownNames(socket: WASocket | undefined): string[] {
  const me = socket?.user
  return [me?.id, me?.lid].filter((value): value is string => Boolean(value)).map((value) => jidNormalizedUser(value))
}

/**
 * Group metadata names members (and the creator, the subject's author) by LID with their number
 * beside it; Baileys does not keep these pairs (its "TODO: Store LID MAPPINGS" in groups.js), so we
 * hand them to its LID mapping, as whatsmeow does with group info: later events and messages from
 * these members then carry their numbers too (addressing.ts).
 */
export async function rememberNumbers(socket: WASocket | undefined, groups: Partial<GroupMetadata>[]): Promise<void> {
  if (!socket) return
  const pairs: { lid: string; pn: string }[] = []
  const pair = (a: string | undefined, b: string | undefined) => {
    if (!a || !b) return
    if (isLidUser(a) && isPnUser(b)) pairs.push({ lid: jidNormalizedUser(a), pn: jidNormalizedUser(b) })
    else if (isPnUser(a) && isLidUser(b)) pairs.push({ lid: jidNormalizedUser(b), pn: jidNormalizedUser(a) })
  }
  for (const group of groups) {
    pair(group.owner, group.ownerPn)
    pair(group.subjectOwner, group.subjectOwnerPn)
    pair(group.author, group.authorPn)
    for (const participant of group.participants ?? []) pair(participant.id, participant.phoneNumber ?? participant.lid)
  }
  if (pairs.length) await socket.signalRepository.lidMapping.storeLIDPNMappings(pairs)
}

/** Stores groups' metadata and the numbers it reveals. */
export async function keepGroups(instanceId: string, socket: WASocket | undefined, groups: GroupMetadata[]): Promise<void> {
  await saveGroupMetadata(instanceId, groups)
  await rememberNumbers(socket, groups)
}

/**
 * Baileys' `cachedGroupMetadata`: the stored copy, or else WhatsApp's answer, stored for next time.
 * Group events and our own group commands keep the copy current.
 */
export async function cachedGroupMetadata(instanceId: string, socket: WASocket | undefined, jid: string): Promise<GroupMetadata | undefined> {
  const cached = await readGroupMetadata(instanceId, jid)
  if (cached || !socket) return cached
  const fresh = await socket.groupMetadata(jid)
  await keepGroups(instanceId, socket, [fresh])
  return fresh
}

/** Asks WhatsApp for the group and stores the answer. */
export async function refreshGroup(instanceId: string, socket: WASocket, jid: string): Promise<GroupMetadata> {
  const meta = await socket.groupMetadata(jid)
  await keepGroups(instanceId, socket, [meta])
  return meta
}

type ParticipantsUpdate = { id: string; author?: string; authorPn?: string; participants: GroupParticipant[]; action: string }

async function applyParticipantsUpdate(instanceId: string, socket: WASocket | undefined, update: ParticipantsUpdate): Promise<void> {
  const named = new Set(update.participants.flatMap(namesOf))
  if (update.action === 'remove' && ownNames(socket).some((name) => named.has(name))) return forgetGroupMetadata(instanceId, update.id)
  const cached = await readGroupMetadata(instanceId, update.id)
  if (!cached) return
  const isNamed = (participant: GroupParticipant) => namesOf(participant).some((name) => named.has(name))
  let participants = cached.participants
  if (update.action === 'add') participants = [...participants.filter((p) => !isNamed(p)), ...update.participants.map((p) => ({ ...p, admin: null }))]
  else if (update.action === 'remove') participants = participants.filter((p) => !isNamed(p))
  else if (update.action === 'promote' || update.action === 'demote') participants = participants.map((p) => (isNamed(p) ? { ...p, admin: update.action === 'promote' ? 'admin' : null } : p))
  await saveGroupMetadata(instanceId, [{ ...cached, participants, size: participants.length }])
}

/** Group events keep the stored metadata current and become GROUPS_UPSERT, GROUP_UPDATE and GROUP_PARTICIPANTS_UPDATE. */
export function attachGroupEvents(socket: WASocket, instance: InstanceIdentity, durably: <T>(what: string, write: () => Promise<T>) => Promise<T>, failed: (what: string) => (error: unknown) => void): void {
  socket.ev.on('groups.upsert', (groups) => {
    void (async () => {
      await durably('store group metadata', () => keepGroups(instance.id, socket, groups))
      const described = await Promise.all(groups.map(async (group) => ({ ...(await describeGroup(socket, group)), author: await personOf(socket, group.author, group.authorPn) })))
      await recordEventAlone(instance, 'GROUPS_UPSERT', { groups: described })
    })().catch(failed('groups.upsert'))
  })
  socket.ev.on('groups.update', (updates) => {
    void (async () => {
      const changes: Record<string, unknown>[] = []
      for (const update of updates) {
        if (!update.id) continue
        // groupFetchAllParticipating re-announces every group whole: a refresh of the copy, not a change.
        if (Array.isArray(update.participants)) {
          await durably('store group metadata', () => keepGroups(instance.id, socket, [update as GroupMetadata]))
          continue
        }
        const { author, authorPn, authorUsername: _username, ...fields } = update
        // A removed description comes as `desc: undefined`; null keeps the removal (JSON drops undefined).
        const changed = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, value ?? null])) as Partial<GroupMetadata>
        await durably('store group metadata', () => patchGroupMetadata(instance.id, update.id!, changed))
        await durably('remember members’ numbers', () => rememberNumbers(socket, [update]))
        changes.push({ ...changed, id: jidNormalizedUser(update.id), author: await personOf(socket, author, authorPn) })
      }
      if (changes.length) await recordEventAlone(instance, 'GROUP_UPDATE', { groups: changes })
    })().catch(failed('groups.update'))
  })
  socket.ev.on('group-participants.update', (update) => {
    void (async () => {
      await durably('store group metadata', () => applyParticipantsUpdate(instance.id, socket, update))
      await durably('remember members’ numbers', () => rememberNumbers(socket, [{ author: update.author, authorPn: update.authorPn, participants: update.participants }]))
      const members = await Promise.all(update.participants.map((p) => describeMember(socket, p)))
      await recordEventAlone(instance, 'GROUP_PARTICIPANTS_UPDATE', {
        id: jidNormalizedUser(update.id),
        author: await personOf(socket, update.author, update.authorPn),
        action: update.action,
        participants: members.map((member) => member.id),
        participantsData: members,
      })
    })().catch(failed('group-participants.update'))
  })
}
