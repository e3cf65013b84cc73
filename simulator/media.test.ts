import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { downloadMediaMessage, type WAMessage } from '@whiskeysockets/baileys'
import type { Simulator } from './simulator.js'
import type { SimulatorClient } from './client.js'
import { TestInstance, startWithInstance, stopWithInstance } from './test-harness.js'

const INSTANCE = '15550003001'
const CAROL = '15550003002'

describe('media, locations, contact cards and reactions', () => {
  let sim: Simulator
  let api: SimulatorClient
  let inst: TestInstance

  const inboxEntry = async (id: string) => {
    let found: Awaited<ReturnType<SimulatorClient['messages']>>[number] | undefined
    await expect.poll(async () => {
      found = (await api.messages(CAROL)).find((m) => m.id === id)
      return !!found
    }, { timeout: 8000 }).toBe(true)
    return found!
  }

  beforeAll(async () => ({ sim, api, inst } = await startWithInstance({ contacts: [[CAROL, 'Carol']], pairAs: { phone: INSTANCE } })), 30_000)
  afterAll(() => stopWithInstance({ sim, inst }))

  it('takes a document upload over HTTPS and lets the contact decrypt the exact bytes', async () => {
    const bytes = randomBytes(150_000)
    const sent = await inst.sock!.sendMessage(`${CAROL}@s.whatsapp.net`, { document: bytes, mimetype: 'application/pdf', fileName: 'report.pdf' })
    const got = await inboxEntry(sent!.key.id!)
    expect(got.mediatype).toBe('document')
    expect(got.media?.ok).toBe(true)
    expect(Buffer.from(got.media!.base64, 'base64').equals(bytes)).toBe(true)
    expect((got.message.documentMessage as { fileName?: string }).fileName).toBe('report.pdf')
  })

  it('delivers locations, contact cards and reactions decrypted', async () => {
    const jid = `${CAROL}@s.whatsapp.net`
    const loc = await inst.sock!.sendMessage(jid, { location: { degreesLatitude: 52.52, degreesLongitude: 13.405, name: 'Berlin' } })
    const vcard = 'BEGIN:VCARD\nVERSION:3.0\nFN:Dave\nTEL;type=CELL;waid=15550003009:+1 555 000 3009\nEND:VCARD'
    const card = await inst.sock!.sendMessage(jid, { contacts: { displayName: 'Dave', contacts: [{ vcard }] } })
    const react = await inst.sock!.sendMessage(jid, { react: { text: '👍', key: loc!.key } })

    const l = await inboxEntry(loc!.key.id!)
    expect(l.message.locationMessage).toMatchObject({ degreesLatitude: 52.52, degreesLongitude: 13.405, name: 'Berlin' })
    const c = await inboxEntry(card!.key.id!)
    expect(c.mediatype).toBe('vcard')
    expect(c.message.contactMessage).toMatchObject({ vcard })
    const r = await inboxEntry(react!.key.id!)
    expect(r.message.reactionMessage).toMatchObject({ text: '👍', key: { id: loc!.key.id } })
  })

  it('sends a contact\'s document that Baileys downloads and decrypts', async () => {
    const bytes = randomBytes(40_000)
    const start = inst.log.length
    const { id } = await api.send(CAROL, { to: INSTANCE, media: { type: 'document', base64: bytes.toString('base64'), mimetype: 'application/octet-stream', fileName: 'blob.bin' } })
    const up = await inst.log.waitFor('messages.upsert', (u) => u.messages.some((m) => m.key.id === id), 5000, start)
    const msg = up.messages.find((m) => m.key.id === id) as WAMessage
    expect(msg.message?.documentMessage?.fileName).toBe('blob.bin')
    const downloaded = await downloadMediaMessage(msg, 'buffer', { options: { dispatcher: inst.dispatcher } as never })
    expect(Buffer.from(downloaded).equals(bytes)).toBe(true)
  })

  it('sends a contact\'s location to Baileys', async () => {
    const start = inst.log.length
    const { id } = await api.send(CAROL, { to: INSTANCE, location: { latitude: 48.85, longitude: 2.35, name: 'Paris' } })
    const up = await inst.log.waitFor('messages.upsert', (u) => u.messages.some((m) => m.key.id === id), 5000, start)
    expect(up.messages.find((m) => m.key.id === id)?.message?.locationMessage).toMatchObject({ degreesLatitude: 48.85, degreesLongitude: 2.35, name: 'Paris' })
  })
})
