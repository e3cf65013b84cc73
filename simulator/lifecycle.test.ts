import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from './simulator.js'
import { SimulatorClient } from './client.js'
import { TestInstance, closeStatus, startWithInstance, stopWithInstance } from './test-harness.js'

const INSTANCE = '15550002001'
const BOB = '15550002002'

const textIn = (m: Record<string, unknown> | null | undefined): string | undefined =>
  (m?.conversation as string | undefined) ?? (m?.extendedTextMessage as { text?: string } | undefined)?.text

describe('state across restarts, offline delivery and unlinking', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wa-sim-data-'))
  let sim: Simulator
  let api: SimulatorClient
  let inst: TestInstance

  beforeAll(async () => ({ sim, api, inst } = await startWithInstance({ dataDir, contacts: [[BOB, 'Bob']], pairAs: { phone: INSTANCE } })), 30_000)
  afterAll(async () => {
    await stopWithInstance({ sim, inst })
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('keeps the pairing and Signal sessions across a simulator restart, and queues messages for an offline device', async () => {
    const before = await inst.sock!.sendMessage(`${BOB}@s.whatsapp.net`, { text: 'before restart' })
    await expect.poll(async () => (await api.messages(BOB)).some((m) => m.id === before!.key.id), { timeout: 5000 }).toBe(true)

    inst.end()
    await sim.stop()
    sim = await startSimulator({ port: 0, dataDir })
    api = new SimulatorClient(sim.controlUrl)
    inst.retarget(sim)

    // Bob writes while the instance is offline: the simulator must keep it.
    const { id: offlineId, deliveries } = await api.send(BOB, { to: INSTANCE, text: 'while you were away' })
    expect(deliveries).toEqual([{ deviceId: 1, status: 'queued' }])

    const start = inst.log.length
    await inst.reconnectAndOpen()
    expect(inst.log.entries.slice(start).some((e) => e.event === 'connection.update' && 'qr' in (e.data as object) && !!(e.data as { qr?: string }).qr)).toBe(false)

    const up = await inst.log.waitFor('messages.upsert', (u) => u.messages.some((m) => m.key.id === offlineId), 5000, start)
    expect(textIn(up.messages.find((m) => m.key.id === offlineId)!.message as Record<string, unknown>)).toBe('while you were away')

    const after = await inst.sock!.sendMessage(`${BOB}@s.whatsapp.net`, { text: 'after restart' })
    await expect.poll(async () => {
      const got = (await api.messages(BOB)).find((m) => m.id === after!.key.id)
      return got && textIn(got.message)
    }, { timeout: 5000 }).toBe('after restart')
  })

  it('refuses a client below the minimum version with 405, serves the current one at /sw.js, and lets the stored session in once it is new enough', async () => {
    expect(await api.setClientVersion({ minimum: '2.3000.1000000005', current: '2.3000.1000000005' })).toEqual({ minimum: '2.3000.1000000005', current: '2.3000.1000000005' })
    const script = await (await fetch(`${sim.controlUrl}/sw.js`)).text()
    // The pattern Baileys' fetchLatestWaWebVersion reads (lib/Utils/generics.js).
    expect(/\\?"client_revision\\?":\s*(\d+)/.exec(script)?.[1]).toBe('1000000005')

    const ended = inst.log.length
    inst.end()
    await inst.log.waitFor('connection.update', (u) => u.connection === 'close', 5000, ended)
    const start = inst.log.length
    await inst.connect({ version: [2, 3000, 1000000004] })
    const refused = await inst.log.waitFor('connection.update', (u) => u.connection === 'close', 5000, start)
    expect(closeStatus(refused)).toBe(405)
    expect((await api.sessions()).some((s) => s.phone === INSTANCE)).toBe(false)

    const again = inst.log.length
    await inst.reconnectAndOpen({ version: [2, 3000, 1000000005] })
    expect(inst.log.entries.slice(again).some((e) => e.event === 'connection.update' && !!(e.data as { qr?: string }).qr)).toBe(false)
    expect((await api.sessions()).find((s) => s.phone === INSTANCE)?.clientVersion).toBe('2.3000.1000000005')
    await api.setClientVersion({ minimum: null, current: null })
  })

  it('closes the socket with 401 when the phone unlinks the device, and refuses the old credentials afterwards', async () => {
    const start = inst.log.length
    const { removed } = await api.unlink(INSTANCE)
    expect(removed).toEqual([1])
    const closed = await inst.log.waitFor('connection.update', (u) => u.connection === 'close', 5000, start)
    expect(closeStatus(closed)).toBe(401)

    const again = inst.log.length
    await inst.connect()
    const refused = await inst.log.waitFor('connection.update', (u) => u.connection === 'close', 5000, again)
    expect(closeStatus(refused)).toBe(401)
  })
})
