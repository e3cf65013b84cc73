import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { proto } from '@whiskeysockets/baileys'
import type { Simulator } from './simulator.js'
import type { SimulatorClient } from './client.js'
import { TestInstance, startWithInstance, stopWithInstance } from './test-harness.js'

const INSTANCE = '15550004001'
const CONTACTS = ['15550004002', '15550004003', '15550004004']
const DAY = 86_400

describe('history sync at a companion’s first login', () => {
  let sim: Simulator
  let api: SimulatorClient
  let inst: TestInstance
  const now = Math.floor(Date.now() / 1000)

  beforeAll(async () => {
    ;({ sim, api } = await startWithInstance())
    await api.createAccount(INSTANCE, 'Instance Owner')
    await api.seedHistory(INSTANCE, {
      chunkMessages: 4,
      full: 'always',
      chats: CONTACTS.map((phone, c) => ({
        with: phone,
        pushName: `Contact ${c}`,
        savedName: c === 0 ? 'Saved Zero' : undefined,
        messages: [
          { id: `OLD${c}`, text: 'a year ago', timestamp: now - 365 * DAY },
          ...Array.from({ length: 5 }, (_, m) => ({ id: `H${c}M${m}`, fromMe: m % 2 === 1, text: `chat ${c} message ${m}`, timestamp: now - 3600 + c * 60 + m })),
        ],
      })),
    })
    inst = new TestInstance(sim)
    await inst.pair((qr) => api.scanQr(qr, INSTANCE))
  }, 30_000)
  afterAll(() => stopWithInstance({ sim, inst }))

  it('pushes bootstrap and push names inline, RECENT and FULL chunks through the media host; Baileys reads all but FULL, which its default skips', async () => {
    const sets = () => inst.log.entries.filter((e) => e.event === 'messaging-history.set').map((e) => e.data as { messages: proto.IWebMessageInfo[]; contacts: { id: string; name?: string; notify?: string }[]; syncType: number })
    await inst.log.waitFor('messages.upsert', (u) => u.messages.some((m) => m.message?.protocolMessage?.historySyncNotification?.syncType === proto.HistorySync.HistorySyncType.FULL), 15_000)
    await inst.log.waitFor('messaging-history.set', (s) => s.syncType === proto.HistorySync.HistorySyncType.PUSH_NAME, 5000)
    const { pushes } = await api.history(INSTANCE)
    expect(pushes.map((p) => [p.syncType, p.inline])).toEqual([
      ['INITIAL_BOOTSTRAP', true],
      ['RECENT', false], ['RECENT', false], ['RECENT', false],
      ['PUSH_NAME', true],
      ['FULL', false],
    ])
    const ids = sets().flatMap((s) => s.messages.map((m) => m.key?.id))
    expect(new Set(ids)).toEqual(new Set(CONTACTS.flatMap((_, c) => Array.from({ length: 5 }, (_, m) => `H${c}M${m}`))))
    expect(ids).toHaveLength(15)
    const contacts = sets().flatMap((s) => s.contacts)
    expect(contacts).toContainEqual(expect.objectContaining({ id: `${CONTACTS[0]}@s.whatsapp.net`, name: 'Saved Zero' }))
    expect(contacts).toContainEqual({ id: `${CONTACTS[1]}@s.whatsapp.net`, notify: 'Contact 1' })
    // The history was not announced as new messages.
    expect(inst.log.entries.some((e) => e.event === 'messages.upsert' && (e.data as { messages: proto.IWebMessageInfo[] }).messages.some((m) => m.key?.id?.startsWith('H')))).toBe(false)
  })

  it('sends nothing at later logins, and Baileys does not wait for it', async () => {
    const before = (await api.history(INSTANCE)).pushes.length
    const closing = inst.log.length
    inst.end()
    await inst.log.waitFor('connection.update', (u) => u.connection === 'close', 5000, closing)
    const started = Date.now()
    await inst.reconnectAndOpen()
    // Our own send's upsert is held while Baileys waits for a history sync (20 s on a first login).
    const sent = await inst.sock!.sendMessage(`${CONTACTS[0]}@s.whatsapp.net`, { text: 'after' })
    await inst.log.waitFor('messages.upsert', (u) => u.messages.some((m) => m.key.id === sent!.key.id), 10_000, closing)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect((await api.history(INSTANCE)).pushes).toHaveLength(before)
  })

  it('delivers what queued while the companion was away at its next login, marked offline, in order (Baileys: upsert type append)', async () => {
    const closing = inst.log.length
    inst.end()
    await inst.log.waitFor('connection.update', (u) => u.connection === 'close', 5000, closing)
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      const sent = await api.send(CONTACTS[1], { to: INSTANCE, text: `queued ${i}` })
      expect(sent.deliveries.map((d) => d.status)).toEqual(['queued'])
      ids.push(sent.id)
    }
    const from = inst.log.length
    await inst.reconnectAndOpen()
    await inst.log.waitFor('messages.upsert', (u) => u.messages.some((m) => m.key.id === ids.at(-1)), 10_000, from)
    const upserts = inst.log.entries.slice(from).filter((e) => e.event === 'messages.upsert').map((e) => e.data as { messages: proto.IWebMessageInfo[]; type: string })
    const arrived = upserts.flatMap((u) => u.messages.filter((m) => ids.includes(m.key?.id ?? '')).map((m) => ({ id: m.key?.id, type: u.type })))
    expect(arrived).toEqual(ids.map((id) => ({ id, type: 'append' })))
  })
})
