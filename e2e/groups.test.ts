// Groups end to end: the group endpoints → the worker's real Baileys → the simulator's groups (run
// as WhatsApp runs them: admin rights, invites, privacy, join approval), and back: the stored
// metadata Baileys reads when sending to a group, and the group events with members' numbers.
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { eventually } from '@/test-support/eventually'
import { startStack } from './support/stack'
import { createVerifiedAccount } from '@/test-support/accounts'
import { startTestSimulator } from './support/simulator'
import { dataPlane } from '@/test-support/data-plane'
import { mintKey } from '@/test-support/cli'
import { pairInstance } from '@/test-support/pairing'

const database = await useTestDatabase()
const sim = await startTestSimulator()
const stack = await startStack({ databaseUrl: database.url, env: sim.env })
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

const account = await createVerifiedAccount(database.url, { instances: ['grp-shop'] })
const api = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '10000'))

const OWN = '15554440000'
const ALICE = '15554440001'
const BOB = '15554440002'
const CARA = '15554440003' // LID-addressed
const DAVE = '15554440004' // privacy: nobody may add him
const ERIN = '15554440005' // runs her own groups
const NOBODY = '15554440009' // not on WhatsApp
const pn = (phone: string) => `${phone}@s.whatsapp.net`

await sim.client.createAccount(ALICE, 'Alice')
await sim.client.createAccount(BOB, 'Bob')
const cara = await sim.client.createAccount(CARA, 'Cara', { addressing: 'lid' })
await sim.client.createAccount(DAVE, 'Dave')
await sim.client.createAccount(ERIN, 'Erin')
await sim.client.setGroupAddPrivacy(DAVE, 'nobody')
await sim.client.markNotOnWhatsApp([NOBODY])
await pairInstance(api, sim, 'grp-shop', OWN)

const post = (path: string, body: unknown) => api(`grp-shop/group/${path}`, { method: 'POST', body: JSON.stringify(body) })
const get = (path: string, query: Record<string, string>) => api(`grp-shop/group/${path}?${new URLSearchParams(query)}`)

async function eventOf(type: string, match: (data: any) => boolean): Promise<any> {
  return eventually(async () => (await sql`select data from instance_events where event = ${type} order by seq`).map((row) => row.data).find(match), 15_000)
}

async function cachedGroup(jid: string): Promise<any> {
  const [row] = await sql`select metadata from group_metadata where jid = ${jid}`
  return row?.metadata
}

const statuses = (body: any) => Object.fromEntries(body.updateParticipants.map((result: any) => [result.number, result.status]))

let own = '' // a group the instance created (it is the superadmin)
let erins = '' // a group Erin created with the instance as a plain member

describe('groups the instance runs', () => {
  it('create: a group with members and a description, stored for sends', async () => {
    const created = await post('create', { subject: 'Acme customers', participants: [ALICE, CARA], description: 'Product news' })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    own = created.body.id
    expect(own).toMatch(/^\d+@g\.us$/)
    expect(created.body).toMatchObject({ subject: 'Acme customers', desc: 'Product news', size: 3, owner: pn(OWN) })
    expect(created.body.participants).toEqual(
      expect.arrayContaining([
        { id: pn(OWN), phoneNumber: pn(OWN), lid: expect.stringMatching(/@lid$/), admin: 'superadmin' },
        { id: pn(ALICE), phoneNumber: pn(ALICE), lid: expect.stringMatching(/@lid$/), admin: null },
        { id: pn(CARA), phoneNumber: pn(CARA), lid: cara.lid, admin: null },
      ]),
    )
    const held = await sim.client.group(own)
    expect(held.participants.map((p) => p.phone).sort()).toEqual([OWN, ALICE, CARA].sort())
    expect(held.description).toBe('Product news')
    expect((await cachedGroup(own))?.participants).toHaveLength(3)
  })

  it('fetchAllGroups, findGroupInfos and participants', async () => {
    const withMembers = await get('fetchAllGroups', { getParticipants: 'true' })
    expect(withMembers.status).toBe(200)
    expect(withMembers.body.find((group: any) => group.id === own)?.participants).toHaveLength(3)
    const without = await get('fetchAllGroups', {})
    expect(without.body.find((group: any) => group.id === own)).not.toHaveProperty('participants')

    const info = await get('findGroupInfos', { groupJid: own })
    expect(info.status).toBe(200)
    expect(info.body).toMatchObject({ id: own, subject: 'Acme customers', announce: false, restrict: false, ephemeralDuration: 0 })
    // the bare id works too, as in Evolution API
    expect((await get('participants', { groupJid: own.replace('@g.us', '') })).body.participants).toHaveLength(3)
  })

  it('updateParticipant: one result per number (added, not on WhatsApp, privacy → invite sent, already a member)', async () => {
    const added = await post('updateParticipant', { groupJid: own, action: 'add', participants: [BOB, NOBODY, DAVE, ALICE] })
    expect(added.status, JSON.stringify(added.body)).toBe(200)
    expect(statuses(added.body)).toEqual({ [BOB]: 'added', [NOBODY]: 'not_on_whatsapp', [DAVE]: 'invite_sent', [ALICE]: 'already_member' })
    expect(added.body.updateParticipants.find((result: any) => result.number === DAVE).code).toBe(403)
    expect((await sim.client.group(own)).participants.map((p) => p.phone)).toContain(BOB)
    expect((await sim.client.group(own)).participants.map((p) => p.phone)).not.toContain(DAVE)
    // Dave's phone got the invite WhatsApp handed out instead
    const invite = await eventually(async () => (await sim.client.messages(DAVE)).find((message) => message.message.groupInviteMessage), 15_000)
    expect(invite.message.groupInviteMessage).toMatchObject({ groupJid: own, groupName: 'Acme customers', inviteCode: expect.any(String) })
    expect((await cachedGroup(own)).participants.map((p: any) => p.id)).toContain(pn(BOB))

    expect(statuses((await post('updateParticipant', { groupJid: own, action: 'promote', participants: [BOB] })).body)).toEqual({ [BOB]: 'promoted' })
    expect((await sim.client.group(own)).participants.find((p) => p.phone === BOB)?.admin).toBe('admin')
    expect(statuses((await post('updateParticipant', { groupJid: own, action: 'demote', participants: [BOB] })).body)).toEqual({ [BOB]: 'demoted' })
    expect(statuses((await post('updateParticipant', { groupJid: own, action: 'remove', participants: [BOB] })).body)).toEqual({ [BOB]: 'removed' })
    expect(statuses((await post('updateParticipant', { groupJid: own, action: 'remove', participants: [BOB] })).body)).toEqual({ [BOB]: 'not_a_member' })
    expect((await cachedGroup(own)).participants.map((p: any) => p.id)).not.toContain(pn(BOB))
  })

  it('subject, description, settings, disappearing messages and picture', async () => {
    const renamed = await post('updateGroupSubject', { groupJid: own, subject: 'Acme VIP customers' })
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200)
    expect(renamed.body.subject).toBe('Acme VIP customers')
    const described = await post('updateGroupDescription', { groupJid: own, description: 'News, support and offers' })
    expect(described.body.desc).toBe('News, support and offers')
    expect((await post('updateSetting', { groupJid: own, action: 'announcement' })).body.announce).toBe(true)
    expect((await post('updateSetting', { groupJid: own, action: 'locked' })).body.restrict).toBe(true)
    expect((await post('toggleEphemeral', { groupJid: own, expiration: 604800 })).body.ephemeralDuration).toBe(604800)
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
    const picture = await post('updateGroupPicture', { groupJid: own, image: png })
    expect(picture.status, JSON.stringify(picture.body)).toBe(200)
    expect(picture.body).toEqual({ groupJid: own, update: 'success' })

    const held = await sim.client.group(own)
    expect(held).toMatchObject({ subject: 'Acme VIP customers', description: 'News, support and offers', announce: true, locked: true, ephemeral: 604800, pictureId: expect.any(String) })
    expect(await cachedGroup(own)).toMatchObject({ subject: 'Acme VIP customers', announce: true, restrict: true, ephemeralDuration: 604800 })
    expect((await post('toggleEphemeral', { groupJid: own, expiration: 0 })).body.ephemeralDuration).toBe(0)
    expect((await post('updateGroupDescription', { groupJid: own, description: '' })).body.desc).toBeNull()
  })

  it('invite links: the code, a revoke (the old code is refused), the group behind a code, join requests', async () => {
    const invite = await get('inviteCode', { groupJid: own })
    expect(invite.status, JSON.stringify(invite.body)).toBe(200)
    expect(invite.body.inviteUrl).toBe(`https://chat.whatsapp.com/${invite.body.inviteCode}`)
    expect((await sim.client.group(own)).inviteCode).toBe(invite.body.inviteCode)

    const revoked = await post('revokeInviteCode', { groupJid: own })
    expect(revoked.body).toMatchObject({ groupJid: own, revoked: true })
    expect(revoked.body.inviteCode).not.toBe(invite.body.inviteCode)
    const old = await get('inviteInfo', { inviteCode: invite.body.inviteCode })
    expect(old.status).toBe(404)
    expect(old.body.error).toBe('invite_code_invalid')
    expect((await get('acceptInviteCode', { inviteCode: invite.body.inviteCode })).body.error).toBe('invite_code_invalid')
    const info = await get('inviteInfo', { inviteCode: `https://chat.whatsapp.com/${revoked.body.inviteCode}` })
    expect(info.status).toBe(200)
    expect(info.body).toMatchObject({ id: own, subject: 'Acme VIP customers' })

    // With approval on, Bob's join by link waits for an admin.
    await sim.client.setJoinApproval(own, { by: OWN, enabled: true })
    expect(await sim.client.joinByInvite(revoked.body.inviteCode, BOB)).toMatchObject({ requested: true, joined: false })
    const requests = await get('joinRequests', { groupJid: own })
    expect(requests.status, JSON.stringify(requests.body)).toBe(200)
    expect(requests.body.requests).toEqual([{ id: pn(BOB), phoneNumber: pn(BOB), lid: expect.stringMatching(/@lid$/), requestedAt: expect.any(Number) }])
    const decided = await post('updateJoinRequests', { groupJid: own, action: 'approve', participants: [BOB, ALICE] })
    expect(decided.body.results.map((result: any) => [result.number, result.status])).toEqual([
      [BOB, 'approved'],
      [ALICE, 'no_request'],
    ])
    expect((await sim.client.group(own)).participants.map((p) => p.phone)).toContain(BOB)
    expect((await get('joinRequests', { groupJid: own })).body.requests).toEqual([])
  })
})

describe('groups others run', () => {
  it('a contact’s LID-addressed group arrives as GROUPS_UPSERT with members’ numbers, and is stored', async () => {
    const group = await sim.client.createGroup({ creator: ERIN, subject: 'Erin’s club', participants: [OWN, CARA], addressingMode: 'lid' })
    erins = group.jid
    const upsert = await eventOf('GROUPS_UPSERT', (data) => data.groups.some((g: any) => g.id === erins))
    const announced = upsert.groups.find((g: any) => g.id === erins)
    expect(announced).toMatchObject({ subject: 'Erin’s club', addressingMode: 'lid', owner: pn(ERIN), author: pn(ERIN) })
    expect(announced.participants).toEqual(expect.arrayContaining([{ id: pn(CARA), phoneNumber: pn(CARA), lid: cara.lid, admin: null }]))
    expect((await eventually(() => cachedGroup(erins), 15_000)).participants).toHaveLength(3)
  })

  it('their changes arrive as GROUP_UPDATE and GROUP_PARTICIPANTS_UPDATE and keep the stored copy current', async () => {
    await sim.client.groupSubject(erins, { by: ERIN, subject: 'Erin’s book club' })
    const update = await eventOf('GROUP_UPDATE', (data) => data.groups.some((g: any) => g.id === erins && g.subject === 'Erin’s book club'))
    expect(update.groups[0]).toMatchObject({ id: erins, author: pn(ERIN) })
    await eventually(async () => ((await cachedGroup(erins))?.subject === 'Erin’s book club' ? true : undefined), 15_000)

    await sim.client.groupParticipants(erins, { by: ERIN, action: 'add', participants: [ALICE] })
    const added = await eventOf('GROUP_PARTICIPANTS_UPDATE', (data) => data.id === erins && data.action === 'add')
    expect(added).toMatchObject({ author: pn(ERIN), participants: [pn(ALICE)] })
    expect(added.participantsData).toEqual([{ id: pn(ALICE), phoneNumber: pn(ALICE), lid: expect.stringMatching(/@lid$/), admin: null }])
    await eventually(async () => ((await cachedGroup(erins))?.participants.length === 4 ? true : undefined), 15_000)
  })

  it('refusals: not an admin → 403 not_group_admin; a group it is not in → 404 group_not_found', async () => {
    for (const [path, body] of [
      ['updateParticipant', { groupJid: erins, action: 'add', participants: [BOB] }],
      ['updateSetting', { groupJid: erins, action: 'announcement' }],
      ['revokeInviteCode', { groupJid: erins }],
      ['updateJoinRequests', { groupJid: erins, action: 'approve', participants: [BOB] }],
    ] as const) {
      const refused = await post(path, body)
      expect(refused.status, `${path}: ${JSON.stringify(refused.body)}`).toBe(403)
      expect(refused.body.error).toBe('not_group_admin')
    }
    const invite = await get('inviteCode', { groupJid: erins })
    expect([invite.status, invite.body.error]).toEqual([403, 'not_group_admin'])
    expect((await sim.client.group(erins)).participants.map((p) => p.phone)).not.toContain(BOB)

    // Any member may rename an unlocked group; once Erin locks it, only admins may edit its info.
    expect((await post('updateGroupSubject', { groupJid: erins, subject: 'Erin’s book club (by a member)' })).status).toBe(200)
    await sim.client.setGroupSettings(erins, { by: ERIN, locked: true })
    const locked = await eventOf('GROUP_UPDATE', (data) => data.groups.some((g: any) => g.id === erins && g.restrict === true))
    expect(locked.groups[0].author).toBe(pn(ERIN))
    for (const [path, body] of [
      ['updateGroupSubject', { groupJid: erins, subject: 'Not allowed' }],
      ['updateGroupDescription', { groupJid: erins, description: 'Not allowed' }],
      ['toggleEphemeral', { groupJid: erins, expiration: 86400 }],
    ] as const) {
      const refused = await post(path, body)
      expect([refused.status, refused.body.error], `${path}: ${JSON.stringify(refused.body)}`).toEqual([403, 'not_group_admin'])
    }
    expect((await sim.client.group(erins)).subject).toBe('Erin’s book club (by a member)')

    const unknown = await get('findGroupInfos', { groupJid: '120363999999999999@g.us' })
    expect([unknown.status, unknown.body.error]).toEqual([404, 'group_not_found'])
    expect((await post('updateGroupSubject', { groupJid: '120363999999999999@g.us', subject: 'x' })).body.error).toBe('group_not_found')
  })

  it('acceptInviteCode joins by link; leaveGroup leaves, and the group is then not found', async () => {
    const other = await sim.client.createGroup({ creator: ERIN, subject: 'Erin’s open house', participants: [ALICE] })
    const { code } = await sim.client.groupInviteCode(other.jid)
    const joined = await get('acceptInviteCode', { inviteCode: code })
    expect(joined.status, JSON.stringify(joined.body)).toBe(200)
    expect(joined.body).toEqual({ accepted: true, pendingApproval: false, groupJid: other.jid })
    expect((await sim.client.group(other.jid)).participants.map((p) => p.phone)).toContain(OWN)

    const left = await api(`grp-shop/group/leaveGroup?groupJid=${encodeURIComponent(other.jid)}`, { method: 'DELETE' })
    expect(left.status, JSON.stringify(left.body)).toBe(200)
    expect(left.body).toEqual({ groupJid: other.jid, leave: true })
    expect((await sim.client.group(other.jid)).participants.map((p) => p.phone)).not.toContain(OWN)
    expect(await cachedGroup(other.jid)).toBeUndefined()
    const gone = await get('findGroupInfos', { groupJid: other.jid })
    expect([gone.status, gone.body.error]).toEqual([404, 'group_not_found'])
  })

  it('asking to join a group that needs approval answers pendingApproval', async () => {
    const gated = await sim.client.createGroup({ creator: ERIN, subject: 'Erin’s gated room', participants: [ALICE] })
    await sim.client.setJoinApproval(gated.jid, { by: ERIN, enabled: true })
    const { code } = await sim.client.groupInviteCode(gated.jid)
    const asked = await get('acceptInviteCode', { inviteCode: code })
    expect(asked.body).toEqual({ accepted: false, pendingApproval: true, groupJid: gated.jid })
    expect((await sim.client.group(gated.jid)).joinRequests).toEqual([OWN])
  })
})

describe('a large group', () => {
  it('a message to a 256-member group reaches every member device once, with the members read from the stored copy', async () => {
    const members = Array.from({ length: 255 }, (_, index) => `1555445${String(index).padStart(4, '0')}`)
    const created = await post('create', { subject: 'Everyone', participants: members })
    expect(created.status, JSON.stringify(created.body).slice(0, 300)).toBe(201)
    expect(created.body.size).toBe(256)
    const jid = created.body.id
    const before = (await sim.client.group(jid)).metadataQueries

    const ids: string[] = []
    for (const text of ['Hello everyone', 'And again']) {
      const sent = await api('grp-shop/message/sendText', { method: 'POST', body: JSON.stringify({ number: jid, text }) })
      expect(sent.status, JSON.stringify(sent.body)).toBe(201)
      ids.push(sent.body.key.id)
    }
    for (const id of ids) {
      const copies = await eventually(async () => {
        const received = await Promise.all(members.map(async (phone) => (await sim.client.messages(phone)).filter((message) => message.id === id)))
        return received.every((list) => list.length === 1) ? received : undefined
      }, 60_000, 500)
      expect(copies.every((list) => list[0].device === 0 && !list[0].copies)).toBe(true)
    }
    // Baileys read the members from group_metadata: WhatsApp was not asked for them again
    expect((await sim.client.group(jid)).metadataQueries).toBe(before)
  }, 120_000)
})

describe('bad input', () => {
  it('answers 400 naming the field', async () => {
    const cases: [Promise<{ status: number; body: any }>, string][] = [
      [post('create', { participants: [ALICE] }), 'subject'],
      [post('create', { subject: 'x', participants: ['abc'] }), 'participants.0'],
      [post('create', { subject: 'nul\u0000', participants: [ALICE] }), 'subject'],
      [post('updateParticipant', { groupJid: own, action: 'kick', participants: [ALICE] }), 'action'],
      [post('updateSetting', { groupJid: 'not-a-group', action: 'locked' }), 'groupJid'],
      [post('toggleEphemeral', { groupJid: own, expiration: 5 }), 'expiration'],
      [get('findGroupInfos', {}), 'groupJid'],
      [get('fetchAllGroups', { getParticipants: 'yes' }), 'getParticipants'],
      [get('inviteInfo', { inviteCode: 'no!' }), 'inviteCode'],
    ]
    for (const [request, field] of cases) {
      const response = await request
      expect(response.status, `${field}: ${JSON.stringify(response.body)}`).toBe(400)
      expect(response.body.error).toBe('invalid_request')
      expect(response.body.details.map((detail: any) => detail.field)).toContain(field)
    }
  })
})
