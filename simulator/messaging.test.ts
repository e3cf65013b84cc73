import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { proto } from '@whiskeysockets/baileys'
import type { Simulator } from './simulator.js'
import type { SimulatorClient } from './client.js'
import { TestInstance, statusIn, startWithInstance, stopWithInstance } from './test-harness.js'

const INSTANCE = '15550001001'
const ALICE = '15550001002'
const NOBODY = '15550001999'

const textIn = (m: Record<string, unknown>): string | undefined =>
  (m.conversation as string | undefined) ?? (m.extendedTextMessage as { text?: string } | undefined)?.text

/** Waits until the control API shows a message matching `pred` in `phone`'s inbox. */
async function waitForInbox(api: SimulatorClient, phone: string, pred: (m: Awaited<ReturnType<SimulatorClient['messages']>>[number]) => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const hit = (await api.messages(phone)).find(pred)
    if (hit) return hit
    if (Date.now() > deadline) throw new Error(`no matching message in ${phone}'s inbox after ${timeoutMs} ms: ${JSON.stringify(await api.messages(phone)).slice(-1500)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('messaging between Baileys and simulated contacts', () => {
  let sim: Simulator
  let api: SimulatorClient
  let inst: TestInstance

  beforeAll(async () => ({ sim, api, inst } = await startWithInstance({ contacts: [[ALICE, 'Alice']], pairAs: { phone: INSTANCE, name: 'Instance Owner' } })), 30_000)
  afterAll(() => stopWithInstance({ sim, inst }))

  it('relays a resend with the same id, and the contact keeps the message once (README.md, "Resends with the same id")', async () => {
    const jid = `${ALICE}@s.whatsapp.net`
    const first = await inst.sock!.sendMessage(jid, { text: 'sent twice after a crash' })
    const id = first!.key.id!
    await waitForInbox(api, ALICE, (m) => m.id === id)
    // What a sender that crashed before recording the ack does: the same message again, same id.
    await inst.sock!.sendMessage(jid, { text: 'sent twice after a crash' }, { messageId: id })
    const kept = await waitForInbox(api, ALICE, (m) => m.id === id && m.copies === 2)
    expect(textIn(kept.message)).toBe('sent twice after a crash')
    expect((await api.messages(ALICE)).filter((m) => m.id === id)).toHaveLength(1)
    // A new id is a new message, even with the same text.
    const other = await inst.sock!.sendMessage(jid, { text: 'sent twice after a crash' })
    await waitForInbox(api, ALICE, (m) => m.id === other!.key.id)
    expect((await api.messages(ALICE)).filter((m) => textIn(m.message) === 'sent twice after a crash')).toHaveLength(2)
  })

  it('delivers a text to a contact, who decrypts it and answers with delivery and read receipts', async () => {
    const start = inst.log.length
    const sent = await inst.sock!.sendMessage(`${ALICE}@s.whatsapp.net`, { text: 'hello alice' })
    const id = sent!.key.id!
    const received = await waitForInbox(api, ALICE, (m) => m.id === id)
    expect(textIn(received.message)).toBe('hello alice')
    expect(received.from).toBe(`${INSTANCE}:1@s.whatsapp.net`)
    expect(received.chat).toBe(`${INSTANCE}@s.whatsapp.net`)

    // a status may arrive folded into the buffered upsert or as an update: Baileys buffers its own
    // upsert and merges receipts that arrive meanwhile (README.md, "World model")
    await inst.log.waitForEntry((e) => statusIn(e, id) === proto.WebMessageInfo.Status.DELIVERY_ACK, 5000, start)
    await inst.log.waitForEntry((e) => statusIn(e, id) === proto.WebMessageInfo.Status.READ, 5000, start)

    // the own phone got the device-sent copy
    const ownCopy = await waitForInbox(api, INSTANCE, (m) => m.id === id)
    expect(ownCopy.deviceSent).toBe(true)
    expect(ownCopy.chat).toBe(`${ALICE}@s.whatsapp.net`)
  })

  it('hands a contact\'s text to Baileys as messages.upsert', async () => {
    const start = inst.log.length
    const { id } = await api.send(ALICE, { to: INSTANCE, text: 'hi from alice' })
    const upsert = await inst.log.waitFor('messages.upsert', (u) => u.messages.some((m) => m.key.id === id), 5000, start)
    const msg = upsert.messages.find((m) => m.key.id === id)!
    expect(upsert.type).toBe('notify')
    expect(msg.key.fromMe).toBe(false)
    expect(msg.key.remoteJid).toBe(`${ALICE}@s.whatsapp.net`)
    expect(msg.message?.conversation).toBe('hi from alice')
    expect(msg.pushName).toBe('Alice')
  })

  it('keeps a conversation going both ways on established sessions', async () => {
    for (let i = 0; i < 3; i++) {
      const sent = await inst.sock!.sendMessage(`${ALICE}@s.whatsapp.net`, { text: `ping ${i}` })
      await waitForInbox(api, ALICE, (m) => m.id === sent!.key.id && textIn(m.message) === `ping ${i}`)
      const start = inst.log.length
      const { id } = await api.send(ALICE, { to: INSTANCE, text: `pong ${i}` })
      const up = await inst.log.waitFor('messages.upsert', (u) => u.messages.some((m) => m.key.id === id), 5000, start)
      expect(up.messages.find((m) => m.key.id === id)?.message?.conversation).toBe(`pong ${i}`)
    }
  })

  it('records the receipts Baileys sends for messages it read', async () => {
    const start = inst.log.length
    const { id } = await api.send(ALICE, { to: INSTANCE, text: 'please read me' })
    const up = await inst.log.waitFor('messages.upsert', (u) => u.messages.some((m) => m.key.id === id), 5000, start)
    await inst.sock!.readMessages([up.messages.find((m) => m.key.id === id)!.key])
    const deadline = Date.now() + 5000
    let receipts = await api.receipts(ALICE)
    while (!receipts.some((r) => r.id === id && r.type === 'read') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50))
      receipts = await api.receipts(ALICE)
    }
    expect(receipts.filter((r) => r.id === id).map((r) => r.type)).toContain('read')
  })

  it('sends receipts only when asked once automatic receipts are off for a contact', async () => {
    await api.setReceiptTiming({ deliveryMs: null, readMs: null, phone: ALICE })
    const start = inst.log.length
    const sent = await inst.sock!.sendMessage(`${ALICE}@s.whatsapp.net`, { text: 'manual receipts' })
    const id = sent!.key.id!
    await waitForInbox(api, ALICE, (m) => m.id === id)
    await api.sendReceipt(ALICE, INSTANCE, [id], 'read')
    await inst.log.waitForEntry((e) => statusIn(e, id) === proto.WebMessageInfo.Status.READ, 5000, start)
    const statuses = inst.log.entries.slice(start).map((e) => statusIn(e, id)).filter((s) => s !== undefined)
    expect(statuses).not.toContain(proto.WebMessageInfo.Status.DELIVERY_ACK)
    await api.setReceiptTiming({ deliveryMs: 300, readMs: 1000, phone: ALICE })
  })

  it('answers the keep-alive ping Baileys sends every 30 s', async () => {
    const reply = await inst.sock!.query({ tag: 'iq', attrs: { to: '@s.whatsapp.net', xmlns: 'w:p', type: 'get' }, content: [{ tag: 'ping', attrs: {} }] })
    expect(reply.attrs.type).toBe('result')
  })

  it('reports numbers that are not on WhatsApp', async () => {
    await api.markNotOnWhatsApp([NOBODY])
    const results = await inst.sock!.onWhatsApp(NOBODY, ALICE)
    const byJid = new Map((results ?? []).map((r) => [r.jid, r.exists]))
    expect(byJid.get(`${NOBODY}@s.whatsapp.net`) ?? false).toBe(false)
    expect(byJid.get(`${ALICE}@s.whatsapp.net`)).toBe(true)
  })
})
