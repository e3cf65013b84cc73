import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { proto } from '@whiskeysockets/baileys'
import type { Simulator } from './simulator.js'
import type { SimulatorClient } from './client.js'
import { TestInstance, statusIn, startWithInstance, stopWithInstance } from './test-harness.js'

const INSTANCE = '15550003001'
const CAROL = '15550003002'

/** What the simulator still holds for the instance's companion, uncleared. */
async function unacked(api: SimulatorClient): Promise<string[]> {
  const [companion] = (await api.account(INSTANCE)).companions
  return companion.unacked
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** From now on the client's frames never reach the simulator: it "acknowledges" into the void. */
function cutOutgoing(inst: TestInstance): void {
  const raw = (inst.sock!.ws as unknown as { socket: { send: (data: unknown, cb?: (error?: Error) => void) => void } }).socket
  raw.send = (_data, cb) => cb?.()
}

/** Ends the socket and waits for Baileys to report it closed, so the next login's events start clean. */
async function endSocket(inst: TestInstance): Promise<void> {
  const from = inst.log.length
  inst.end()
  await inst.log.waitFor('connection.update', (u) => u.connection === 'close', 5000, from)
}

/** A fresh message from Carol after the login: stanzas are processed in order, so everything redelivered came before it. */
async function loginDone(inst: TestInstance, api: SimulatorClient, from: number) {
  const { id } = await api.send(CAROL, { to: INSTANCE, text: 'after the login' })
  await inst.log.waitFor('messages.upsert', (u) => u.messages.some((m) => m.key.id === id), 10_000, from)
}

describe('redelivery of what a device never cleared', () => {
  let sim: Simulator
  let api: SimulatorClient
  let inst: TestInstance

  beforeAll(async () => ({ sim, api, inst } = await startWithInstance({ contacts: [[CAROL, 'Carol']], pairAs: { phone: INSTANCE } })), 30_000)
  afterAll(() => stopWithInstance({ sim, inst }))

  it('forgets a message once Baileys sent its receipt: the next login does not bring it again', async () => {
    const start = inst.log.length
    const { id } = await api.send(CAROL, { to: INSTANCE, text: 'cleared' })
    await inst.log.waitFor('messages.upsert', (u) => u.messages.some((m) => m.key.id === id), 5000, start)
    await until(async () => ((await unacked(api)).includes(`message:${id}`) ? undefined : true), 'the receipt to clear the message')

    await endSocket(inst)
    const again = inst.log.length
    await inst.reconnectAndOpen()
    await loginDone(inst, api, again)
    expect(inst.log.entries.slice(again).some((e) => e.event === 'messages.upsert' && (e.data as { messages: { key: { id?: string } }[] }).messages.some((m) => m.key.id === id))).toBe(false)
  })

  it('delivers a message again at the next login when its receipt never arrived, until it is cleared', async () => {
    const start = inst.log.length
    cutOutgoing(inst)
    const { id } = await api.send(CAROL, { to: INSTANCE, text: 'say you got it' })
    await inst.log.waitFor('messages.upsert', (u) => u.messages.some((m) => m.key.id === id), 5000, start)
    expect(await unacked(api)).toContain(`message:${id}`)

    await endSocket(inst)
    const again = inst.log.length
    await inst.reconnectAndOpen()
    // Baileys already moved its Signal session past this message and saved it before its receipt, so
    // the copy does not decrypt ("Key used already or never filled"): Baileys nacks it and emits
    // nothing. The copy came (the nack cleared it); not losing the message is the app's job.
    await until(async () => ((await unacked(api)).includes(`message:${id}`) ? undefined : true), 'the copy to be delivered and nacked')
    expect(inst.log.entries.slice(again).some((e) => e.event === 'messages.upsert' && (e.data as { messages: { key: { id?: string } }[] }).messages.some((m) => m.key.id === id))).toBe(false)
  })

  it('delivers a receipt again at the next login when Baileys never acked it', async () => {
    await api.setReceiptTiming({ phone: CAROL, deliveryMs: 100, readMs: null })
    const sent = await inst.sock!.sendMessage(`${CAROL}@s.whatsapp.net`, { text: 'tell me when it arrives' })
    const id = sent!.key.id!
    await until(async () => ((await api.messages(CAROL)).some((m) => m.id === id) ? true : undefined), 'Carol to get the message')
    cutOutgoing(inst)
    await until(async () => ((await unacked(api)).includes(`receipt:${id}:`) ? true : undefined), 'the delivery receipt to be sent')

    await endSocket(inst)
    const again = inst.log.length
    await inst.reconnectAndOpen()
    await inst.log.waitForEntry((e) => statusIn(e, id) === proto.WebMessageInfo.Status.DELIVERY_ACK, 5000, again)
    await until(async () => ((await unacked(api)).includes(`receipt:${id}:`) ? undefined : true), 'the ack to clear the receipt')
  })
})
