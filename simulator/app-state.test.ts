import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { proto, type BinaryNode } from '@whiskeysockets/baileys'
import { encodeSyncdPatch, newLTHashState } from '@whiskeysockets/baileys/lib/Utils/chat-utils.js'
import type { Simulator } from './simulator.js'
import type { SimulatorClient } from './client.js'
import { TestInstance, startWithInstance, stopWithInstance } from './test-harness.js'
import { ltHash, subtractThenAdd } from './app-state-crypto.js'

const OWNER = '15550015001'
const FRIEND = '15550015002'
const CHAT = `${FRIEND}@s.whatsapp.net`

type ChatUpdate = { id: string; archived?: boolean; pinned?: number | null; muteEndTime?: number | null; unreadCount?: number | null }

describe('app-state sync', () => {
  let sim: Simulator
  let api: SimulatorClient
  let inst: TestInstance
  const sock = () => inst.sock!
  /** Baileys' own record of a collection: its version and LTHash, as its MAC checks left them. */
  const baileysState = async (name: string) => {
    const { [name]: state } = await sock().authState.keys.get('app-state-sync-version', [name])
    return state ? { version: state.version, hash: Buffer.from(state.hash).toString('base64') } : undefined
  }
  const chatUpdate = (predicate: (u: ChatUpdate) => boolean, from: number) =>
    inst.log.waitFor('chats.update', (updates) => (updates as ChatUpdate[]).some(predicate), 10_000, from)

  beforeAll(async () => {
    ;({ sim, api, inst } = await startWithInstance({ contacts: [[FRIEND, 'Friend']], pairAs: { phone: OWNER, name: 'Owner' } }))
  }, 30_000)
  afterAll(() => stopWithInstance({ sim, inst }))

  it('the phone shares its app-state key with the new companion, once', async () => {
    const summary = await api.appState(OWNER)
    expect(summary.keyShared).toEqual([{ deviceId: expect.any(Number), shared: true }])
    expect(sock().authState.creds.myAppStateKeyId).toEqual(expect.any(String))
  })

  it('accepts Baileys’ patches, verifies them, and keeps the chat state and the LTHash Baileys has', async () => {
    await sock().chatModify({ archive: true, lastMessages: [] }, CHAT)
    await sock().chatModify({ pin: true }, CHAT)
    const mutedUntil = Date.now() + 3_600_000
    await sock().chatModify({ mute: mutedUntil }, CHAT)
    await sock().chatModify({ markRead: false, lastMessages: [] }, CHAT)
    const summary = await api.appState(OWNER)
    expect(summary.rejected).toEqual([])
    expect(summary.chats[CHAT]).toMatchObject({ archived: true, pinned: true, mutedUntil, markedUnread: true, changedBy: expect.stringMatching(/^device:/) })
    expect(summary.collections.regular_low).toMatchObject({ version: 3, records: 3 })
    expect(summary.collections.regular_high).toMatchObject({ version: 1, records: 1 })
    // The server's hash is the one Baileys computed: the next patch from either side will verify.
    expect(await baileysState('regular_low')).toEqual({ version: 3, hash: summary.collections.regular_low.hash })
    expect(await baileysState('regular_high')).toEqual({ version: 1, hash: summary.collections.regular_high.hash })
  })

  it('a change made on the phone reaches Baileys through server_sync and a fetch of the patch', async () => {
    const from = inst.log.length
    const { collection, version } = await api.changeChatOnPhone(OWNER, CHAT, { pinned: false })
    expect({ collection, version }).toEqual({ collection: 'regular_low', version: 4 })
    await chatUpdate((u) => u.id === CHAT && u.pinned === null, from)
    const summary = await api.appState(OWNER)
    expect(summary.chats[CHAT]).toMatchObject({ pinned: false, archived: true, changedBy: 'phone' })
    expect(await baileysState('regular_low')).toEqual({ version: 4, hash: summary.collections.regular_low.hash })
    await api.changeChatOnPhone(OWNER, CHAT, { mutedUntil: null })
    await chatUpdate((u) => u.id === CHAT && u.muteEndTime === null, from)
  })

  it('a device syncing from scratch gets a snapshot whose MAC verifies', async () => {
    await sock().authState.keys.set({ 'app-state-sync-version': { regular_low: null } })
    const from = inst.log.length
    await sock().resyncAppState(['regular_low'], false)
    const summary = await api.appState(OWNER)
    expect(await baileysState('regular_low')).toEqual({ version: 4, hash: summary.collections.regular_low.hash })
    // The snapshot's records are the chat's live settings (pin moved by the phone; the older value is gone).
    expect(summary.collections.regular_low.records).toBe(3)
    // Every live record is applied again: the archive made by Baileys itself comes back from the snapshot.
    await chatUpdate((u) => u.id === CHAT && u.archived === true, from)
  })

  it('refuses a patch whose MACs were made with another key, and one at a stale version', async () => {
    const keyId = sock().authState.creds.myAppStateKeyId!
    const state = { ...newLTHashState(), ...(await sock().authState.keys.get('app-state-sync-version', ['regular_low'])).regular_low }
    const wrongKey = async () => proto.Message.AppStateSyncKeyData.fromObject({ keyData: randomBytes(32), timestamp: Date.now() })
    const forged = await encodeSyncdPatch({ type: 'regular_low', index: ['archive', CHAT], syncAction: { archiveChatAction: { archived: false } }, apiVersion: 3, operation: 0 }, keyId, state, wrongKey)
    const upload = (version: number) => sock().query({
      tag: 'iq', attrs: { to: '@s.whatsapp.net', type: 'set', xmlns: 'w:sync:app:state' },
      content: [{ tag: 'sync', attrs: {}, content: [{ tag: 'collection', attrs: { name: 'regular_low', version: String(version), return_snapshot: 'false' }, content: [{ tag: 'patch', attrs: {}, content: proto.SyncdPatch.encode(forged.patch).finish() }] }] }]
    })
    const collectionOf = (answer: BinaryNode) => ((answer.content as BinaryNode[])[0].content as BinaryNode[])[0]
    const refused = collectionOf(await upload(4))
    expect(refused.attrs).toMatchObject({ name: 'regular_low', type: 'error' })
    expect((refused.content as BinaryNode[])[0].attrs.code).toBe('400')
    const stale = collectionOf(await upload(2))
    expect((stale.content as BinaryNode[])[0].attrs.code).toBe('409')
    const summary = await api.appState(OWNER)
    expect(summary.rejected).toEqual([expect.objectContaining({ collection: 'regular_low', reason: expect.stringMatching(/MAC mismatch/) })])
    expect(summary.chats[CHAT].archived).toBe(true)
    expect(summary.collections.regular_low.version).toBe(4)
  })

  it('deleting a chat is a patch too, and Baileys announces it as chats.delete', async () => {
    const from = inst.log.length
    await api.changeChatOnPhone(OWNER, CHAT, { deleted: true })
    await inst.log.waitFor('chats.delete', (ids) => ids.includes(CHAT), 10_000, from)
    expect((await api.appState(OWNER)).chats[CHAT]).toMatchObject({ deleted: true, archived: false, pinned: false })
  })

  it('the LTHash is a wrapping sum: adding then subtracting a value MAC gives back the hash', () => {
    const a = randomBytes(32)
    const b = randomBytes(32)
    expect(subtractThenAdd(ltHash([a, b]), [b], [])).toEqual(ltHash([a]))
    expect(ltHash([a, b])).toEqual(ltHash([b, a]))
  })
})
