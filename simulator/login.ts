// Login with stored credentials and the offline delivery that follows it: queued stanzas, then
// <ib><offline/></ib>, then the phone's app-state key once per companion (app-state.ts), then, at a
// newly paired companion's first login only, the history sync that ends Baileys' initial sync wait
// (README.md, "History sync"). Baileys' side: the CB:success handler in
// node_modules/@whiskeysockets/baileys/lib/Socket/socket.js and the AwaitingInitialSync timer in
// node_modules/@whiskeysockets/baileys/lib/Socket/chats.js (later logins skip that wait once
// `creds.accountSyncCounter` is set by the first sync).
import type { proto } from '@whiskeysockets/baileys'
import { decodeNode, node, SERVER_JID, unixNow } from './binary.js'
import type { Connection } from './connection.js'
import type { Hub } from './hub.js'
import { pushHistory } from './history.js'
import { shareAppStateKey } from './app-state.js'

function refuse(conn: Connection, reason: number, attrs: Record<string, string> = {}): void {
  conn.send(node('failure', { reason, ...attrs }))
  setTimeout(() => conn.close(), 50)
}

export function handleLogin(hub: Hub, conn: Connection, payload: proto.ClientPayload): void {
  // username is a uint64 and may decode as a Long
  const phone = payload.username?.toString() ?? ''
  const deviceId = Number(payload.device ?? 0)
  const account = hub.world.account(phone)
  const companion = account && hub.world.companion(account, deviceId)
  if (!account || !companion || companion.noiseKey !== conn.clientStaticKey?.toString('base64')) {
    return refuse(conn, 401)
  }
  const banSeconds = Math.ceil(((account.bannedUntil ?? 0) - Date.now()) / 1000)
  // A temporary ban (whatsmeow: ConnectFailureTempBanned, with the ban's `code` and the seconds left in `expire`).
  if (banSeconds > 0) return refuse(conn, 402, { code: '101', expire: String(banSeconds) })
  // A ban for good (whatsmeow: ConnectFailureMainDeviceGone, 403, logging the notice it carries).
  if (account.bannedForGood) return refuse(conn, 403, { logout_message_header: 'This account is not allowed to use WhatsApp', logout_message_subtext: 'Banned for spam' })
  const replaced = hub.bind(conn, account.phone, deviceId)
  replaced?.streamError(undefined, node('conflict', { type: 'replaced' }))
  // Baileys rewrites creds.me.lid from this attribute, so it must always be present.
  conn.send(node('success', { t: unixNow(), lid: `${account.lid}:${deviceId}@lid`, props: '1', location: 'sim', creation: Math.floor(companion.createdAt / 1000) }))
}

/**
 * After `passive active`: queued stanzas (each marked `offline`, in the order they queued), then
 * "offline delivery complete", then the history sync if this is the companion's first login.
 */
export async function afterPassiveActive(hub: Hub, conn: Connection): Promise<void> {
  if (!conn.login || conn.online) return
  const account = hub.world.account(conn.login.phone)
  const companion = account && hub.world.companion(account, conn.login.deviceId)
  if (!account || !companion) return
  // Uncleared stanzas from earlier connections first (redelivery.ts), then what queued meanwhile.
  const queued = hub.takeForLogin(companion)
  for (const encoded of queued) {
    const stanza = await decodeNode(Buffer.from(encoded, 'base64'))
    hub.sendTracked(conn, companion, { ...stanza, attrs: { ...stanza.attrs, offline: '1' } })
  }
  conn.send(node('ib', { from: SERVER_JID }, [node('offline', { count: queued.length })]))
  conn.online = true
  // Before the history: Baileys runs an app-state sync once the history is in, and needs the key for it.
  await shareAppStateKey(hub, account, companion)
  if (!companion.historyPending) return
  // Once only: a notification the client does not clear is redelivered at its next login anyway.
  companion.historyPending = false
  hub.world.changed()
  await pushHistory(hub, account, companion)
}
