// App-state sync (README.md, "App-state sync"): how an account's devices agree on chat settings
// (archive, pin, mute, mark unread, delete). WhatsApp keeps, per account and collection
// (`regular_low`, `regular_high`, …), a versioned list of encrypted patches; every device uploads its
// changes as patches (Baileys: `appPatch` in node_modules/@whiskeysockets/baileys/lib/Socket/chats.js)
// and fetches the others' (`resyncAppState`), after a `server_sync` notification says a collection
// moved. The key the patches are encrypted with comes from the phone (APP_STATE_SYNC_KEY_SHARE).
// The simulator is phone and server at once, so it holds that key: it verifies every MAC of an
// upload (the phone would drop a patch it cannot verify), applies it to the account's chat state,
// and signs the patches the phone makes itself.
import { randomBytes } from 'node:crypto'
import { proto } from '@whiskeysockets/baileys'
import { bytesOf, children, node, SERVER_JID, unixNow, type BinaryNode } from './binary.js'
import { randomId } from './curve.js'
import type { Hub } from './hub.js'
import { sendFromPhone } from './outbound.js'
import type { Account, AppStateCollection, ChatAppState, Companion } from './state.js'
import {
  decryptValue, encryptValue, expandKeys, indexMacOf, ltHash, patchMacOf, REMOVE, SET, snapshotMacOf, subtractThenAdd, valueMacOf, type AppStateKeys
} from './app-state-crypto.js'

/** Patches per answer: more makes the answer say `has_more_patches`, and Baileys asks again from where it got to. */
const PATCHES_PER_ANSWER = 50

export class AppStateError extends Error {
  constructor(readonly code: number, message: string) {
    super(message)
  }
}

/** The account's app-state key, made the first time a companion or a phone change needs it. */
function currentKey(hub: Hub, account: Account): { id: Buffer; data: Buffer; timestamp: number } {
  const state = (account.appState ??= { keys: [], collections: {}, chats: {} })
  if (!state.keys.length) {
    // Real key ids are 6 bytes: a 2-byte epoch and a 4-byte counter.
    state.keys.push({ id: randomBytes(6).toString('base64'), data: randomBytes(32).toString('base64'), timestamp: Date.now() })
    hub.world.changed()
  }
  const key = state.keys.at(-1)!
  return { id: Buffer.from(key.id, 'base64'), data: Buffer.from(key.data, 'base64'), timestamp: key.timestamp }
}

function keysById(account: Account, keyId: Uint8Array | null | undefined): AppStateKeys {
  const wanted = Buffer.from(keyId ?? []).toString('base64')
  const key = account.appState?.keys.find((k) => k.id === wanted)
  if (!key) throw new AppStateError(400, `unknown app-state key ${wanted}`)
  return expandKeys(Buffer.from(key.data, 'base64'))
}

/**
 * The phone shares its app-state key with a companion once, as real phones do right after linking
 * (Baileys stores it as `app-state-sync-key` and sets `creds.myAppStateKeyId`, process-message.js).
 */
export async function shareAppStateKey(hub: Hub, account: Account, companion: Companion): Promise<void> {
  if (companion.appStateKeyShared) return
  const key = currentKey(hub, account)
  companion.appStateKeyShared = true
  hub.world.changed()
  await sendFromPhone(hub, account, account, {
    protocolMessage: {
      type: proto.Message.ProtocolMessage.Type.APP_STATE_SYNC_KEY_SHARE,
      appStateSyncKeyShare: {
        keys: [{ keyId: { keyId: key.id }, keyData: { keyData: key.data, fingerprint: { rawId: 1, currentIndex: 0, deviceIndexes: [0, companion.keyIndex] }, timestamp: key.timestamp } }]
      }
    }
  }, { category: 'peer', onlyDevice: companion.deviceId })
}

function collectionOf(account: Account, name: string): AppStateCollection {
  const state = (account.appState ??= { keys: [], collections: {}, chats: {} })
  return (state.collections[name] ??= { version: 0, hash: Buffer.alloc(128).toString('base64'), records: {}, patches: [] })
}

type Mutation = { operation: number; indexMac: Buffer; value: Buffer; keyId: Uint8Array; index: string[]; action: proto.ISyncActionValue }

/** Checks each mutation's value and index MACs with the account's key and decrypts it; throws on the first that fails. */
function openMutations(account: Account, mutations: proto.ISyncdMutation[]): Mutation[] {
  return mutations.map((mutation, i) => {
    const record = mutation.record
    const keyId = Buffer.from(record?.keyId?.id ?? [])
    const keys = keysById(account, keyId)
    const blob = Buffer.from(record?.value?.blob ?? [])
    const operation = mutation.operation ?? SET
    const encrypted = blob.subarray(0, -32)
    if (!valueMacOf(operation, encrypted, keyId, keys.valueMac).equals(blob.subarray(-32))) throw new AppStateError(400, `mutation ${i}: value MAC mismatch`)
    const data = proto.SyncActionData.decode(decryptValue(encrypted, keys.valueEncryption))
    const index = Buffer.from(data.index ?? [])
    const indexMac = Buffer.from(record?.index?.blob ?? [])
    if (!indexMacOf(index, keys.index).equals(indexMac)) throw new AppStateError(400, `mutation ${i}: index MAC mismatch`)
    return { operation, indexMac, value: blob, keyId, index: JSON.parse(index.toString()) as string[], action: data.value ?? {} }
  })
}

/** The collection's hash after these mutations: a SET replaces the record at its index, a REMOVE takes it out. */
function hashAfter(collection: AppStateCollection, mutations: Mutation[]): Buffer {
  const subtract: Uint8Array[] = []
  const add: Uint8Array[] = []
  const live = new Map<string, Uint8Array>(Object.entries(collection.records).map(([mac, r]) => [mac, Buffer.from(r.value, 'base64').subarray(-32)]))
  for (const m of mutations) {
    const key = m.indexMac.toString('base64')
    const previous = live.get(key)
    if (previous) subtract.push(previous)
    if (m.operation === REMOVE) live.delete(key)
    else {
      add.push(m.value.subarray(-32))
      live.set(key, m.value.subarray(-32))
    }
  }
  return subtractThenAdd(Buffer.from(collection.hash, 'base64'), subtract, add)
}

/** What a mutation means for the chat it names, as the phone shows it (whatsmeow's `dispatchAppState` reads the same indexes). */
function applyToChats(account: Account, m: Mutation, by: string): void {
  const [type, jid] = m.index
  if (!jid || m.operation !== SET) return
  const chats = account.appState!.chats
  const chat: ChatAppState = chats[jid] ?? { archived: false, pinned: false, mutedUntil: null, markedUnread: false }
  const a = m.action
  if (type === 'archive' && a.archiveChatAction) chat.archived = !!a.archiveChatAction.archived
  else if (type === 'pin_v1' && a.pinAction) chat.pinned = !!a.pinAction.pinned
  else if (type === 'mute' && a.muteAction) chat.mutedUntil = a.muteAction.muted ? Number(a.muteAction.muteEndTimestamp ?? -1) : null
  else if (type === 'markChatAsRead' && a.markChatAsReadAction) chat.markedUnread = !a.markChatAsReadAction.read
  else if (type === 'deleteChat') Object.assign(chat, { archived: false, pinned: false, mutedUntil: null, markedUnread: false, deleted: true })
  else return
  if (type !== 'deleteChat') delete chat.deleted
  chats[jid] = { ...chat, changedAt: Date.now(), changedBy: by }
}

/** Appends a verified patch at the collection's next version. */
function commitPatch(hub: Hub, account: Account, name: string, patch: proto.ISyncdPatch, mutations: Mutation[], hash: Buffer, by: string): number {
  const collection = collectionOf(account, name)
  for (const m of mutations) {
    const key = m.indexMac.toString('base64')
    if (m.operation === REMOVE) delete collection.records[key]
    else collection.records[key] = { keyId: Buffer.from(m.keyId).toString('base64'), value: m.value.toString('base64') }
    applyToChats(account, m, by)
  }
  collection.version += 1
  collection.hash = hash.toString('base64')
  collection.patches.push(Buffer.from(proto.SyncdPatch.encode({ ...patch, version: { version: collection.version } }).finish()).toString('base64'))
  hub.world.changed()
  return collection.version
}

/** A companion's upload: `<collection name version>` (the version it is at) with one `<patch>`. */
function acceptUpload(hub: Hub, account: Account, by: string, request: BinaryNode, patchNode: BinaryNode): BinaryNode {
  const name = request.attrs.name
  const collection = collectionOf(account, name)
  const base = Number(request.attrs.version ?? 0)
  if (base !== collection.version) {
    // whatsmeow (SendAppState) reads a 409 and applies the patches it was missing, then retries; Baileys does not look.
    return node('collection', { name, version: collection.version, type: 'error' }, [node('error', { code: 409, text: 'conflict' }), patchesNode(collection, base)])
  }
  try {
    const patch = proto.SyncdPatch.decode(bytesOf(patchNode))
    const mutations = openMutations(account, patch.mutations)
    const version = base + 1
    const keys = keysById(account, patch.keyId?.id)
    const hash = hashAfter(collection, mutations)
    if (!snapshotMacOf(hash, version, name, keys.snapshotMac).equals(Buffer.from(patch.snapshotMac ?? []))) throw new AppStateError(400, 'snapshot MAC mismatch (LTHash differs)')
    if (!patchMacOf(patch.snapshotMac!, mutations.map((m) => m.value.subarray(-32)), version, name, keys.patchMac).equals(Buffer.from(patch.patchMac ?? []))) {
      throw new AppStateError(400, 'patch MAC mismatch')
    }
    commitPatch(hub, account, name, patch, mutations, hash, by)
    notifyOtherDevices(hub, account, name, by)
    return node('collection', { name, version })
  } catch (error) {
    if (!(error instanceof AppStateError)) throw error
    ;(account.appStateRejections ??= []).push({ collection: name, reason: error.message, by, at: Date.now() })
    hub.world.changed()
    return node('collection', { name, version: collection.version, type: 'error' }, [node('error', { code: error.code, text: 'bad-request' })])
  }
}

function patchesNode(collection: AppStateCollection, after: number): BinaryNode {
  const patches = collection.patches.slice(after, after + PATCHES_PER_ANSWER)
  return node('patches', {}, patches.map((p) => node('patch', {}, Buffer.from(p, 'base64'))))
}

/**
 * The collection as it is now, signed by the phone: every live record, the version, and the MAC of
 * the LTHash, stored on the media host as `md-app-state` (Baileys' `downloadExternalBlob`).
 */
function snapshotNode(hub: Hub, account: Account, name: string, collection: AppStateCollection): BinaryNode | undefined {
  if (!hub.media) return undefined
  const key = currentKey(hub, account)
  const keys = expandKeys(key.data)
  const records = Object.entries(collection.records).map(([indexMac, r]) => ({
    index: { blob: Buffer.from(indexMac, 'base64') },
    value: { blob: Buffer.from(r.value, 'base64') },
    keyId: { id: Buffer.from(r.keyId, 'base64') }
  }))
  const hash = ltHash(records.map((r) => r.value.blob.subarray(-32)))
  const snapshot = proto.SyncdSnapshot.encode({ version: { version: collection.version }, records, mac: snapshotMacOf(hash, collection.version, name, keys.snapshotMac), keyId: { id: key.id } }).finish()
  const stored = hub.media.storeOutgoing(Buffer.from(snapshot), 'md-app-state')
  const reference = proto.ExternalBlobReference.encode({
    mediaKey: stored.mediaKey, directPath: stored.directPath, fileSha256: stored.fileSha256, fileEncSha256: stored.fileEncSha256, fileSizeBytes: stored.fileLength
  }).finish()
  return node('snapshot', {}, Buffer.from(reference))
}

/**
 * A fetch: `<collection name version return_snapshot>`. From version 0 with `return_snapshot` and
 * something stored, the answer is a snapshot (as WhatsApp answers a device syncing from scratch);
 * otherwise the patches after the version asked for, `has_more_patches` when there are more.
 */
function answerFetch(hub: Hub, account: Account, request: BinaryNode): BinaryNode {
  const name = request.attrs.name
  const collection = collectionOf(account, name)
  const asked = Math.min(Number(request.attrs.version ?? 0), collection.version)
  if (request.attrs.return_snapshot === 'true' && collection.version > 0) {
    const snapshot = snapshotNode(hub, account, name, collection)
    if (snapshot) return node('collection', { name, version: collection.version }, [snapshot])
  }
  const more = collection.version - asked > PATCHES_PER_ANSWER
  return node('collection', { name, version: asked, has_more_patches: more ? 'true' : undefined }, collection.version > asked ? [patchesNode(collection, asked)] : undefined)
}

/** `<iq xmlns="w:sync:app:state"><sync>` with one `<collection>` per collection, each an upload or a fetch. */
export function handleAppStateIq(hub: Hub, account: Account, deviceId: number, sync: BinaryNode | undefined): BinaryNode {
  const by = `device:${deviceId}`
  return node('sync', {}, children(sync, 'collection').map((request) => {
    const patch = children(request, 'patch')[0]
    return patch ? acceptUpload(hub, account, by, request, patch) : answerFetch(hub, account, request)
  }))
}

/** `<notification type="server_sync">`: a collection moved; each device then fetches it (Baileys: messages-recv.js, case 'server_sync'). */
function notifyOtherDevices(hub: Hub, account: Account, name: string, by: string): void {
  for (const companion of account.companions) {
    if (by === `device:${companion.deviceId}`) continue
    hub.deliver(account.phone, companion.deviceId, node('notification', { from: `${account.phone}${SERVER_JID}`, type: 'server_sync', id: randomId(8), t: unixNow() }, [
      node('collection', { name, version: collectionOf(account, name).version })
    ]))
  }
}

/** A chat setting changed on the phone itself. */
export type PhoneChatChange =
  | { archived: boolean }
  | { pinned: boolean }
  | { mutedUntil: number | null }
  | { markedUnread: boolean }
  | { deleted: true }

/** Index, collection, action and Baileys' `apiVersion` for each change, as `chatModificationToAppPatch` builds them. */
function mutationFor(jid: string, change: PhoneChatChange): { name: string; index: string[]; version: number; action: proto.ISyncActionValue } {
  const timestamp = Date.now()
  if ('archived' in change) return { name: 'regular_low', index: ['archive', jid], version: 3, action: { timestamp, archiveChatAction: { archived: change.archived } } }
  if ('pinned' in change) return { name: 'regular_low', index: ['pin_v1', jid], version: 5, action: { timestamp, pinAction: { pinned: change.pinned } } }
  if ('mutedUntil' in change) {
    const muted = change.mutedUntil !== null
    return { name: 'regular_high', index: ['mute', jid], version: 2, action: { timestamp, muteAction: { muted, muteEndTimestamp: muted ? change.mutedUntil : undefined } } }
  }
  if ('markedUnread' in change) return { name: 'regular_low', index: ['markChatAsRead', jid], version: 3, action: { timestamp, markChatAsReadAction: { read: !change.markedUnread } } }
  return { name: 'regular_high', index: ['deleteChat', jid, '1'], version: 6, action: { timestamp, deleteChatAction: {} } }
}

/** The phone changes a chat: it signs a patch with its key, stores it, and tells every companion to sync. */
export function changeChatFromPhone(hub: Hub, account: Account, jid: string, change: PhoneChatChange): { collection: string; version: number } {
  const { name, index, version: apiVersion, action } = mutationFor(jid, change)
  const key = currentKey(hub, account)
  const keys = expandKeys(key.data)
  const indexBytes = Buffer.from(JSON.stringify(index))
  const encrypted = encryptValue(proto.SyncActionData.encode({ index: indexBytes, value: action, padding: Buffer.alloc(0), version: apiVersion }).finish(), keys.valueEncryption)
  const valueMac = valueMacOf(SET, encrypted, key.id, keys.valueMac)
  const mutation: Mutation = { operation: SET, indexMac: indexMacOf(indexBytes, keys.index), value: Buffer.concat([encrypted, valueMac]), keyId: key.id, index, action }
  const collection = collectionOf(account, name)
  const next = collection.version + 1
  const hash = hashAfter(collection, [mutation])
  const snapshotMac = snapshotMacOf(hash, next, name, keys.snapshotMac)
  const patch: proto.ISyncdPatch = {
    mutations: [{ operation: SET, record: { index: { blob: mutation.indexMac }, value: { blob: mutation.value }, keyId: { id: key.id } } }],
    snapshotMac,
    patchMac: patchMacOf(snapshotMac, [valueMac], next, name, keys.patchMac),
    keyId: { id: key.id }
  }
  const version = commitPatch(hub, account, name, patch, [mutation], hash, 'phone')
  notifyOtherDevices(hub, account, name, 'phone')
  return { collection: name, version }
}

/** What the control API shows: each chat's settings as the phone has them, and each collection's version. */
export function appStateSummary(account: Account) {
  const state = account.appState
  return {
    keyShared: account.companions.map((c) => ({ deviceId: c.deviceId, shared: c.appStateKeyShared === true })),
    collections: Object.fromEntries(Object.entries(state?.collections ?? {}).map(([name, c]) => [name, { version: c.version, records: Object.keys(c.records).length, hash: c.hash }])),
    chats: state?.chats ?? {},
    rejected: account.appStateRejections ?? []
  }
}
