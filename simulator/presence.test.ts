import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from '@/test-support/eventually'
import type { Simulator } from './simulator.js'
import type { SimulatorClient } from './client.js'
import { TestInstance, startWithInstance, stopWithInstance } from './test-harness.js'

const INSTANCE = '15550005001'
const GINA = '15550005002'
const HUGO = '15550005003'
const pn = (p: string) => `${p}@s.whatsapp.net`

describe('presence and chat states', () => {
  let sim: Simulator
  let api: SimulatorClient
  let inst: TestInstance

  beforeAll(async () => ({ sim, api, inst } = await startWithInstance({ contacts: [[GINA, 'Gina'], [HUGO, 'Hugo']], pairAs: { phone: INSTANCE } })), 30_000)
  afterAll(() => stopWithInstance({ sim, inst }))

  it("shows the contact's phone what Baileys types, records and pauses", async () => {
    await inst.sock!.sendPresenceUpdate('composing', pn(GINA))
    await inst.sock!.sendPresenceUpdate('recording', pn(GINA))
    await inst.sock!.sendPresenceUpdate('paused', pn(GINA))
    const seen = await eventually(async () => {
      const { chatstates } = await api.presence(GINA)
      return chatstates.length >= 3 ? chatstates : undefined
    })
    expect(seen.map((c) => [c.from, c.chat, c.state])).toEqual([
      [INSTANCE, pn(INSTANCE), 'composing'],
      [INSTANCE, pn(INSTANCE), 'recording'],
      [INSTANCE, pn(INSTANCE), 'paused'],
    ])
    expect((await api.presence(HUGO)).chatstates).toEqual([])
  })

  it('answers a subscription with the presence and relays changes and typing, only to a subscriber', async () => {
    expect(await api.sendChatState(HUGO, INSTANCE, 'composing')).toEqual({ delivered: 0 })
    let start = inst.log.length
    await inst.sock!.presenceSubscribe(pn(HUGO))
    const first = await inst.log.waitFor('presence.update', (u) => u.id === pn(HUGO), 5000, start)
    expect(first.presences[pn(HUGO)].lastKnownPresence).toBe('unavailable')
    expect((await api.presence(INSTANCE)).subscriptions).toEqual([HUGO])

    start = inst.log.length
    await api.setPresence(HUGO, true)
    const online = await inst.log.waitFor('presence.update', (u) => u.id === pn(HUGO), 5000, start)
    expect(online.presences[pn(HUGO)].lastKnownPresence).toBe('available')

    for (const [state, reported] of [['composing', 'composing'], ['recording', 'recording'], ['paused', 'available']] as const) {
      start = inst.log.length
      expect(await api.sendChatState(HUGO, INSTANCE, state)).toEqual({ delivered: 1 })
      const update = await inst.log.waitFor('presence.update', (u) => u.id === pn(HUGO), 5000, start)
      expect(update.presences[pn(HUGO)].lastKnownPresence).toBe(reported)
    }

    start = inst.log.length
    await api.setPresence(HUGO, false)
    const offline = await inst.log.waitFor('presence.update', (u) => u.id === pn(HUGO), 5000, start)
    expect(offline.presences[pn(HUGO)].lastKnownPresence).toBe('unavailable')
    expect(offline.presences[pn(HUGO)].lastSeen).toBeGreaterThan(Date.now() / 1000 - 60)
  })

  it('relays typing in a group both ways, naming the member', async () => {
    const group = await api.createGroup({ creator: GINA, subject: 'Typing club', participants: [INSTANCE, HUGO] })
    await inst.log.waitFor('groups.upsert', (gs) => gs.some((g) => g.id === group.jid), 5000)
    await inst.sock!.presenceSubscribe(group.jid)
    await eventually(async () => ((await api.presence(INSTANCE)).subscriptions.includes(group.jid) ? true : undefined))
    const start = inst.log.length
    expect(await api.sendChatState(GINA, group.jid, 'composing')).toEqual({ delivered: 1 })
    const update = await inst.log.waitFor('presence.update', (u) => u.id === group.jid, 5000, start)
    expect(update.presences[pn(GINA)].lastKnownPresence).toBe('composing')

    await inst.sock!.sendPresenceUpdate('composing', group.jid)
    for (const member of [GINA, HUGO]) {
      const state = await eventually(async () => (await api.presence(member)).chatstates.find((c) => c.chat === group.jid && c.from === INSTANCE))
      expect(state.state).toBe('composing')
    }
    await expect(api.sendChatState(GINA, '999999999@g.us', 'composing')).rejects.toThrow(/404/)
    await expect(api.sendChatState(GINA, INSTANCE, 'dancing' as never)).rejects.toThrow(/400/)
  })

  it("takes the instance's own name, about text and picture, and shows them to others", async () => {
    // Baileys tells the server a new push name with `<presence name>` (socket.js, on creds.update).
    inst.sock!.ev.emit('creds.update', { me: { ...inst.sock!.authState.creds.me!, name: 'Acme Support' } })
    await eventually(async () => ((await api.profile(INSTANCE)).name === 'Acme Support' ? true : undefined))
    await inst.sock!.sendPresenceUpdate('available')
    await eventually(async () => ((await api.presence(INSTANCE)).available ? true : undefined))

    await inst.sock!.updateProfileStatus('Open 9 to 5')
    const profile = await api.profile(INSTANCE)
    expect(profile.about).toBe('Open 9 to 5')
    const [status] = (await inst.sock!.fetchStatus(pn(INSTANCE))) as unknown as { status: { status: string; setAt: Date } }[]
    expect(status.status.status).toBe('Open 9 to 5')
    expect(status.status.setAt.getTime() / 1000).toBe(profile.aboutSetAt)

    const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#2a7' } }).jpeg().toBuffer()
    await inst.sock!.updateProfilePicture(pn(INSTANCE), jpeg)
    const withPicture = await api.profile(INSTANCE)
    expect(withPicture.picture?.length).toBeGreaterThan(0)
    expect(await inst.sock!.profilePictureUrl(pn(INSTANCE), 'image')).toContain(`/pp/${INSTANCE}/${withPicture.pictureId}.jpg`)

    await inst.sock!.removeProfilePicture(pn(INSTANCE))
    expect((await api.profile(INSTANCE)).pictureId).toBeUndefined()
    await expect(inst.sock!.profilePictureUrl(pn(INSTANCE), 'image')).rejects.toMatchObject({ data: 404 })
  })
})
