import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Simulator } from './simulator.js'
import type { SimulatorClient } from './client.js'
import { TestInstance, closeStatus, startWithInstance, stopWithInstance } from './test-harness.js'

const INSTANCE_PHONE = '15550000001'

describe('QR pairing and login', () => {
  let sim: Simulator
  let api: SimulatorClient
  let inst: TestInstance
  beforeAll(async () => ({ sim, api, inst } = await startWithInstance()))
  afterAll(() => stopWithInstance({ sim, inst }))

  it('shows a QR, pairs when the phone scans it, restarts with 515 and opens', async () => {
    await inst.connect()
    const { qr } = await inst.log.waitFor('connection.update', (u) => !!u.qr)
    expect(qr).toMatch(/^https:\/\/wa\.me\/settings\/linked_devices#/)
    const paired = await api.scanQr(qr!, INSTANCE_PHONE, 'Sim Owner')
    expect(paired.deviceId).toBe(1)
    const creds = await inst.log.waitFor('creds.update', (c) => !!c.me)
    expect(creds.me?.id).toBe(`${INSTANCE_PHONE}:1@s.whatsapp.net`)
    expect(creds.me?.lid).toBe(`${paired.lid}:1@lid`)
    const closed = await inst.log.waitFor('connection.update', (u) => u.connection === 'close')
    expect(closeStatus(closed)).toBe(515)

    await inst.reconnectAndOpen()
    const sessions = await api.sessions()
    expect(sessions.some((s) => s.jid === `${INSTANCE_PHONE}:1@s.whatsapp.net` && s.state === 'online')).toBe(true)
  })

  it('rejects a QR string it never issued', async () => {
    await expect(api.scanQr('https://wa.me/settings/linked_devices#nope,AAAA,AAAA,AAAA,1', '15550009999')).rejects.toThrow(/404/)
  })
})

describe('pairing by code', () => {
  let sim: Simulator
  let api: SimulatorClient
  let inst: TestInstance
  beforeAll(async () => ({ sim, api, inst } = await startWithInstance()))
  afterAll(() => stopWithInstance({ sim, inst }))

  it('links the companion when the phone enters the code it shows', async () => {
    const phone = '15550000077'
    await inst.connect()
    await inst.log.waitFor('connection.update', (u) => !!u.qr)
    const code = await inst.sock!.requestPairingCode(phone)
    expect(code).toMatch(/^[1-9A-HJ-NP-TV-Z]{8}$/)
    const paired = await api.submitPairingCode(phone, code)
    expect(paired.jid).toBe(`${phone}:1@s.whatsapp.net`)
    const closed = await inst.log.waitFor('connection.update', (u) => u.connection === 'close')
    expect(closeStatus(closed)).toBe(515)
    await inst.reconnectAndOpen()
    expect(inst.sock!.user?.id).toBe(`${phone}:1@s.whatsapp.net`)
  })

  it('refuses a wrong code', async () => {
    const other = new TestInstance(sim)
    try {
      await other.connect()
      await other.log.waitFor('connection.update', (u) => !!u.qr)
      await other.sock!.requestPairingCode('15550000078')
      await expect(api.submitPairingCode('15550000078', 'AAAAAAAA')).rejects.toThrow(/400: pairing code does not match/)
    } finally {
      other.dispose()
    }
  }, 20_000)
})
