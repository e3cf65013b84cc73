// LID addressing, device-sent copies, edits and deletions, as the real Baileys receives them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { proto } from '@whiskeysockets/baileys'
import type { Simulator } from './simulator.js'
import type { SimulatorClient } from './client.js'
import { TestInstance, startWithInstance, stopWithInstance } from './test-harness.js'

const INSTANCE = '15550003001'
const LINA = '15550003002' // LID-addressed, shares her number
const HIDA = '15550003003' // LID-addressed, number hidden
const PETE = '15550003004' // phone-number addressed

describe('LID addressing, edits and revokes', () => {
  let sim: Simulator
  let api: SimulatorClient
  let inst: TestInstance
  let lina: { lid: string }
  let hida: { lid: string }

  beforeAll(async () => {
    ;({ sim, api, inst } = await startWithInstance({ contacts: [[PETE, 'Pete']], pairAs: { phone: INSTANCE, name: 'Owner' } }))
    lina = await api.createAccount(LINA, 'Lina', { addressing: 'lid' })
    hida = await api.createAccount(HIDA, 'Hida', { addressing: 'lid', sharePhoneNumber: false })
  }, 30_000)
  afterAll(() => stopWithInstance({ sim, inst }))

  const upsertOf = async (id: string, start: number) => {
    const upsert = await inst.log.waitFor('messages.upsert', (u) => u.messages.some((m) => m.key.id === id), 5000, start)
    return upsert.messages.find((m) => m.key.id === id)!
  }

  it('a LID-addressed contact arrives from its LID with its number as remoteJidAlt', async () => {
    const start = inst.log.length
    const { id } = await api.send(LINA, { to: INSTANCE, text: 'from my lid' })
    const msg = await upsertOf(id, start)
    expect(msg.key).toMatchObject({ remoteJid: lina.lid, remoteJidAlt: `${LINA}@s.whatsapp.net`, fromMe: false, addressingMode: 'lid' })
    expect(await inst.sock!.signalRepository.lidMapping.getPNForLID(lina.lid)).toMatch(new RegExp(`^${LINA}(:0)?@s.whatsapp.net$`))
  })

  it('a contact with a hidden number arrives from its LID alone, and Baileys can answer the LID', async () => {
    const start = inst.log.length
    const { id } = await api.send(HIDA, { to: INSTANCE, text: 'who am i' })
    const msg = await upsertOf(id, start)
    expect(msg.key.remoteJid).toBe(hida.lid)
    expect(msg.key.remoteJidAlt).toBeUndefined()
    const sent = await inst.sock!.sendMessage(hida.lid, { text: 'hello, lid' })
    const inbox = await api.messages(HIDA)
    await expect.poll(async () => (await api.messages(HIDA)).find((m) => m.id === sent!.key.id), { timeout: 5000 }).toBeTruthy()
    expect(inbox).toBeDefined()
  })

  it('a contact\'s edit reaches Baileys as messages.update with the new text, keyed by the chat', async () => {
    const { id } = await api.send(PETE, { to: INSTANCE, text: 'teh typo' })
    const start = inst.log.length
    await api.edit(PETE, INSTANCE, id, 'the typo')
    const update = await inst.log.waitFor('messages.update', (u) => u.some((x) => x.key.id === id && !!x.update.message?.editedMessage), 5000, start)
    const edit = update.find((x) => x.key.id === id)!
    expect(edit.key).toMatchObject({ remoteJid: `${PETE}@s.whatsapp.net`, fromMe: false })
    expect(edit.update.message?.editedMessage?.message?.conversation).toBe('the typo')
  })

  it('a contact\'s revoke names the contact\'s chat, and its protocol key the sender\'s side', async () => {
    const { id } = await api.send(PETE, { to: INSTANCE, text: 'oops' })
    const start = inst.log.length
    const revoke = await api.revoke(PETE, INSTANCE, id)
    const update = await inst.log.waitFor('messages.update', (u) => u.some((x) => x.key.id === id && x.update.messageStubType === proto.WebMessageInfo.StubType.REVOKE), 5000, start)
    expect(update.find((x) => x.key.id === id)!.key).toMatchObject({ remoteJid: `${PETE}@s.whatsapp.net`, fromMe: false })
    const envelope = await upsertOf(revoke.id, start)
    expect(envelope.message?.protocolMessage?.key).toMatchObject({ remoteJid: `${INSTANCE}@s.whatsapp.net`, fromMe: true, id })
  })

  it('the own phone\'s messages and edits reach Baileys as its own (fromMe, chat = the contact)', async () => {
    const start = inst.log.length
    const sent = await api.send(INSTANCE, { to: LINA, text: 'typed on the phone' })
    expect(sent.ownDevices).toEqual([{ deviceId: 1, status: 'sent' }])
    const msg = await upsertOf(sent.id, start)
    expect(msg.key).toMatchObject({ remoteJid: lina.lid, remoteJidAlt: `${LINA}@s.whatsapp.net`, fromMe: true })
    await api.edit(INSTANCE, LINA, sent.id, 'typed on the phone, edited')
    const update = await inst.log.waitFor('messages.update', (u) => u.some((x) => x.key.id === sent.id && !!x.update.message?.editedMessage), 5000, start)
    expect(update.find((x) => x.key.id === sent.id)!.key).toMatchObject({ fromMe: true })
  })

  it('a LID-addressed group post carries the member\'s LID as participant and number as participantAlt', async () => {
    const group = await api.createGroup({ creator: PETE, subject: 'LID group', participants: [INSTANCE, LINA], addressingMode: 'lid' })
    const start = inst.log.length
    const { id } = await api.groupSend(group.jid, { from: LINA, text: 'hi group' })
    const msg = await upsertOf(id, start)
    expect(msg.key).toMatchObject({ remoteJid: group.jid, participant: lina.lid, participantAlt: `${LINA}@s.whatsapp.net`, fromMe: false })
    const revokeStart = inst.log.length
    await api.call('POST', `/groups/${encodeURIComponent(group.jid)}/send`, { from: PETE, revoke: { messageId: id, participant: LINA } })
    const update = await inst.log.waitFor('messages.update', (u) => u.some((x) => x.key.id === id && x.update.messageStubType === proto.WebMessageInfo.StubType.REVOKE), 5000, revokeStart)
    expect(update.find((x) => x.key.id === id)!.key.remoteJid).toBe(group.jid)
  })
})
