import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Simulator } from './simulator.js'
import type { SimulatorClient } from './client.js'
import { TestInstance, startWithInstance, stopWithInstance } from './test-harness.js'

const INSTANCE = '15550004001'
const DAN = '15550004002'
const ERIN = '15550004003'
const FRANK = '15550004004'
const pn = (p: string) => `${p}@s.whatsapp.net`

const textIn = (m: Record<string, unknown> | null | undefined): string | undefined =>
  (m?.conversation as string | undefined) ?? (m?.extendedTextMessage as { text?: string } | undefined)?.text

describe('groups', () => {
  let sim: Simulator
  let api: SimulatorClient
  let inst: TestInstance
  let groupJid = ''

  beforeAll(async () => ({ sim, api, inst } = await startWithInstance({ contacts: [[DAN, 'Dan'], [ERIN, 'Erin'], [FRANK, 'Frank']], pairAs: { phone: INSTANCE } })), 30_000)
  afterAll(() => stopWithInstance({ sim, inst }))

  it('announces a group a contact created with the instance in it', async () => {
    const start = inst.log.length
    const g = await api.createGroup({ creator: DAN, subject: 'Weekend plans', participants: [INSTANCE, ERIN] })
    groupJid = g.jid
    const [meta] = await inst.log.waitFor('groups.upsert', (gs) => gs.some((x) => x.id === g.jid), 5000, start)
    expect(meta.subject).toBe('Weekend plans')
    expect(meta.participants.map((p) => p.id).sort()).toEqual([pn(DAN), pn(ERIN), pn(INSTANCE)].sort())
    expect(meta.participants.find((p) => p.id === pn(DAN))?.admin).toBe('superadmin')
    expect(meta.author).toBe(pn(DAN))
  })

  it('reports participant changes and subject changes', async () => {
    let start = inst.log.length
    await api.groupParticipants(groupJid, { by: DAN, action: 'add', participants: [FRANK] })
    const added = await inst.log.waitFor('group-participants.update', (u) => u.id === groupJid && u.action === 'add', 5000, start)
    expect(added.participants.map((p) => p.id)).toEqual([pn(FRANK)])
    expect(added.author).toBe(pn(DAN))

    start = inst.log.length
    await api.groupParticipants(groupJid, { by: DAN, action: 'promote', participants: [ERIN] })
    const promoted = await inst.log.waitFor('group-participants.update', (u) => u.id === groupJid && u.action === 'promote', 5000, start)
    expect(promoted.participants.map((p) => p.id)).toEqual([pn(ERIN)])

    start = inst.log.length
    await api.groupSubject(groupJid, { by: ERIN, subject: 'Weekend plans (final)' })
    const [upd] = await inst.log.waitFor('groups.update', (us) => us.some((u) => u.id === groupJid && !!u.subject), 5000, start)
    expect(upd.subject).toBe('Weekend plans (final)')

    const meta = await inst.sock!.groupMetadata(groupJid)
    expect(meta.subject).toBe('Weekend plans (final)')
    expect(meta.participants).toHaveLength(4)
  })

  it('lets every simulated member decrypt what the instance sends to the group, with receipts per participant', async () => {
    const start = inst.log.length
    const sent = await inst.sock!.sendMessage(groupJid, { text: 'see you saturday' })
    const id = sent!.key.id!
    for (const member of [DAN, ERIN, FRANK]) {
      await expect.poll(async () => {
        const m = (await api.messages(member)).find((x) => x.id === id)
        return m && { chat: m.chat, text: textIn(m.message) }
      }, { timeout: 5000 }).toEqual({ chat: groupJid, text: 'see you saturday' })
    }
    await inst.log.waitFor('message-receipt.update', (us) => us.some((u) => u.key.id === id && !!u.receipt.readTimestamp), 5000, start)

    // a second message uses the sender keys already distributed
    const again = await inst.sock!.sendMessage(groupJid, { text: 'bring snacks' })
    await expect.poll(async () => textIn((await api.messages(ERIN)).find((x) => x.id === again!.key.id)?.message), { timeout: 5000 }).toBe('bring snacks')
  })

  it('delivers a member\'s group message to Baileys', async () => {
    const start = inst.log.length
    const { id } = await api.groupSend(groupJid, { from: ERIN, text: 'I will bring chips' })
    const up = await inst.log.waitFor('messages.upsert', (u) => u.messages.some((m) => m.key.id === id), 5000, start)
    const msg = up.messages.find((m) => m.key.id === id)!
    expect(msg.key.remoteJid).toBe(groupJid)
    expect(msg.key.participant).toBe(pn(ERIN))
    expect(textIn(msg.message as Record<string, unknown>)).toBe('I will bring chips')
  })

  it('serves groups Baileys creates and changes itself', async () => {
    const created = await inst.sock!.groupCreate('Made by Baileys', [pn(DAN)])
    expect(created.participants.map((p) => p.id).sort()).toEqual([pn(DAN), pn(INSTANCE)].sort())
    const res = await inst.sock!.groupParticipantsUpdate(created.id, [pn(ERIN)], 'add')
    expect(res).toEqual([expect.objectContaining({ jid: pn(ERIN), status: '200' })])
    const all = await inst.sock!.groupFetchAllParticipating()
    expect(Object.keys(all).sort()).toEqual([groupJid, created.id].sort())
  })

  it('enforces admin rights and answers WhatsApp\'s error codes', async () => {
    // groupJid is Dan's: the instance is a plain member there
    const code = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: { data?: unknown }) => error.data)
    expect(await code(inst.sock!.groupParticipantsUpdate(groupJid, [pn(FRANK)], 'remove'))).toBe(403)
    expect(await code(inst.sock!.groupSettingUpdate(groupJid, 'announcement'))).toBe(403)
    expect(await code(inst.sock!.groupInviteCode(groupJid))).toBe(401)
    expect(await code(inst.sock!.groupMetadata('120363999999999999@g.us'))).toBe(404)

    const own = await inst.sock!.groupCreate('Rights', [pn(DAN)])
    const first = await inst.sock!.groupInviteCode(own.id)
    const second = await inst.sock!.groupRevokeInvite(own.id)
    expect(second).not.toBe(first)
    expect(await code(inst.sock!.groupGetInviteInfo(first!))).toBe(410)
    expect(await code(inst.sock!.groupGetInviteInfo('NeverIssued0000000000A'))).toBe(406)
    expect((await inst.sock!.groupGetInviteInfo(second!)).id).toBe(own.id)

    await api.markNotOnWhatsApp(['15550004999'])
    const answers = await inst.sock!.groupParticipantsUpdate(own.id, [pn(DAN), pn('15550004999')], 'add')
    expect(answers.map((a) => [a.jid, a.status])).toEqual([[pn(DAN), '409'], [pn('15550004999'), '404']])

    const before = (await api.group(own.id)).metadataQueries
    await inst.sock!.groupMetadata(own.id)
    expect((await api.group(own.id)).metadataQueries).toBe(before + 1)
  })
})
