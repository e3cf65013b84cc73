// The signals of a restricted number, as the real Baileys sees them (README.md, "Sending limits and
// bans"): 429 rate-overlimit on the queries before a send, error acks, and a 403 ban at login.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Simulator } from './simulator.js'
import type { SimulatorClient } from './client.js'
import { TestInstance, closeStatus, startWithInstance, stopWithInstance } from './test-harness.js'

const INSTANCE = '15550007001'
const BOB = '15550007002'
const CAROL = '15550007003'

describe('sending limits and bans', () => {
  let sim: Simulator
  let api: SimulatorClient
  let inst: TestInstance

  beforeAll(async () => ({ sim, api, inst } = await startWithInstance({ contacts: [[BOB, 'Bob'], [CAROL, 'Carol']], pairAs: { phone: INSTANCE } })), 30_000)
  afterAll(() => stopWithInstance({ sim, inst }))

  it('rate-overlimit: the usync before a send to a new contact fails with 429 and nothing is sent', async () => {
    expect(await api.setSendingLimits(INSTANCE, { rateOverlimit: true })).toEqual({ rateOverlimit: true, refuseSendsWith: null })
    const error = await inst.sock!.sendMessage(`${CAROL}@s.whatsapp.net`, { text: 'too fast' }).catch((e: unknown) => e)
    expect(error).toMatchObject({ message: 'rate-overlimit', data: 429 })
    await expect(inst.sock!.onWhatsApp(BOB)).rejects.toMatchObject({ data: 429 })
    expect(await api.messages(CAROL)).toEqual([])
    await api.setSendingLimits(INSTANCE, { rateOverlimit: false })
  })

  it('refused sends: an error ack becomes messages.update ERROR with the code, and nothing is delivered', async () => {
    await api.setSendingLimits(INSTANCE, { refuseSendsWith: '463' })
    const start = inst.log.length
    const sent = await inst.sock!.sendMessage(`${BOB}@s.whatsapp.net`, { text: 'refused' })
    const [update] = await inst.log.waitFor('messages.update', (updates) => updates.some((u) => u.key.id === sent!.key.id && u.update.status === 0), 5000, start)
    // 463 is also Baileys' "reach-out timelocked": it adds ACCOUNT_RESTRICTED_TEXT.
    expect(update.update.messageStubParameters).toEqual(['463', 'Your account has been restricted'])
    expect((await api.messages(BOB)).some((m) => m.id === sent!.key.id)).toBe(false)
    await api.setSendingLimits(INSTANCE, { refuseSendsWith: null })
    await expect(api.setSendingLimits(INSTANCE, { refuseSendsWith: 'abc' })).rejects.toThrow(/400/)
  })

  it('a ban for good drops the connection and refuses the login with 403 until it is lifted', async () => {
    const start = inst.log.length
    await api.ban(INSTANCE, 0, { permanent: true })
    await inst.log.waitFor('connection.update', (u) => u.connection === 'close', 5000, start)
    const again = inst.log.length
    await inst.connect()
    const refused = await inst.log.waitFor('connection.update', (u) => u.connection === 'close', 5000, again)
    expect(closeStatus(refused)).toBe(403)
    await api.unban(INSTANCE)
    await inst.reconnectAndOpen()
  })
})
