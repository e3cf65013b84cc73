// Typed client of the control API (README.md, "Control API"): the one module of the simulator
// that production code (the demo's virtual phone in lib/demo) may import. It only speaks HTTP, so
// it pulls in none of the simulator itself; the types below describe the JSON it gets back.
import type { AccountAddressing, ChatAppState, DecryptFailures, ReceivedMessage, ReceiptRecord, RetryRequest, UndecryptedCopy } from './state.js'
import type { ComposeInput } from './compose.js'
import type { SimulatedCall } from './calls.js'
import type { HistoryPush, SeededHistory } from './history.js'

export type { AccountAddressing, ChatAppState, ComposeInput, DecryptFailures, HistoryPush, ReceivedMessage, ReceiptRecord, RetryRequest, SeededHistory, SimulatedCall, UndecryptedCopy }

/** What a phone will push to its next newly linked device (README.md, "History sync"). */
export interface HistorySeed {
  chats: {
    /** The other party's number; it becomes an account named `pushName` if given. */
    with: string
    pushName?: string
    savedName?: string
    unreadCount?: number
    archived?: boolean
    /** Muted until this time (ms since the epoch), or -1: muted with no end. */
    mutedUntil?: number
    /** `timestamp` in Unix seconds (default: a minute apart, ending now); `id` random unless given. */
    messages: { id?: string; fromMe?: boolean; text: string; timestamp?: number }[]
  }[]
  /** Messages older than this go only in FULL chunks (default 90). */
  recentDays?: number
  /** Whether FULL chunks are sent: as the device asked at pairing (default), always, or never. */
  full?: 'requested' | 'always' | 'never'
  /** Messages per RECENT/FULL blob (default 300). */
  chunkMessages?: number
}

/** A Baileys client linked to an account, as the control API lists it. */
export interface LinkedDevice {
  deviceId: number
  keyIndex: number
  createdAt: number
  /** Stanzas waiting for its next login. */
  queued: number
  /** Sent but not yet cleared by the device (`message:{id}`, `receipt:{id}:{type}`): delivered again at its next login. */
  unacked: string[]
  uploadedPreKeys: number
}

/** A simulated WhatsApp account: a number with its phone and its linked devices. */
export interface SimulatorAppState {
  keyShared: { deviceId: number; shared: boolean }[]
  collections: Record<string, { version: number; records: number; hash: string }>
  chats: Record<string, ChatAppState>
  rejected: { collection: string; reason: string; by: string; at: number }[]
}

export interface SimulatorAccount {
  phone: string
  jid: string
  lid: string
  name: string
  /** How WhatsApp addresses this account's messages (README.md, "LID addressing"). */
  addressing: AccountAddressing
  companions: LinkedDevice[]
}

/** What pairing (by QR or by code) linked. */
export interface PairedDevice {
  phone: string
  lid: string
  deviceId: number
  jid: string
}

/** Per linked device of the addressee: sent live, queued for its next login, or gone (unlinked meanwhile). */
export interface SendResult {
  id: string
  deliveries: { deviceId: number; status: 'sent' | 'queued' | 'gone' }[]
  /** 1:1 sends: the device-sent copies for the sender's own linked devices. */
  ownDevices?: { deviceId: number; status: 'sent' | 'queued' | 'gone' }[]
}

/**
 * A message sent unreadable (README.md, "Retries"): `times` copies fail (default 1) before a retry gets
 * a readable one; `resend: false` answers no retry.
 */
/** What `GET /accounts/{phone}/presence` answers (presence.ts). */
export interface SimulatedPresence {
  phone: string
  name: string
  available: boolean
  /** Unix seconds, when offline. */
  lastSeen: number | null
  /** Chat states others showed this phone, oldest first. */
  chatstates: { from: string; chat: string; state: 'composing' | 'recording' | 'paused'; at: number }[]
  /** Numbers and group JIDs its linked devices' connections subscribed to. */
  subscriptions: string[]
}

/** What `GET /accounts/{phone}/profile` answers: the push name and what others see. */
export interface SimulatedProfile {
  name: string
  about?: string
  aboutSetAt?: number
  pictureId?: string
  picture?: { length: number; sha256: string }
  business?: { description?: string; email?: string; website?: string; address?: string; category?: string }
}

export type UndecryptableInput = { times?: number; resend?: boolean }

/** `lid`: WhatsApp addresses the account by LID; `sharePhoneNumber: false` leaves its number out of stanzas. */
export type AddressingInput = { addressing: 'pn' | 'lid'; sharePhoneNumber?: boolean }

export type SimulatedGroup = {
  jid: string
  subject: string
  creator: string
  creation: number
  participants: { phone: string; admin?: string }[]
  addressingMode: 'pn' | 'lid'
  description: string | null
  announce: boolean
  locked: boolean
  ephemeral: number
  joinApproval: boolean
  joinRequests: string[]
  inviteCode: string | null
  pictureId: string | null
}

export class SimulatorClient {
  constructor(readonly controlUrl: string) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.controlUrl}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const data = (await res.json()) as T & { error?: string }
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${data?.error}`)
    return data
  }

  scanQr(qr: string, phone: string, name?: string) {
    return this.call<PairedDevice>('POST', '/pair/qr', { qr, phone, name })
  }

  submitPairingCode(phone: string, code: string) {
    return this.call<PairedDevice>('POST', '/pair/code', { phone, code })
  }

  createAccount(phone: string, name?: string, addressing?: AddressingInput) {
    return this.call<SimulatorAccount>('POST', '/accounts', { phone, name, ...addressing })
  }

  setAddressing(phone: string, addressing: AddressingInput) {
    return this.call<SimulatorAccount>('PUT', `/accounts/${phone}/addressing`, addressing)
  }

  accounts() {
    return this.call<SimulatorAccount[]>('GET', '/accounts')
  }

  account(phone: string) {
    return this.call<SimulatorAccount>('GET', `/accounts/${phone}`)
  }

  send(fromPhone: string, input: ComposeInput & { to: string; id?: string; undecryptable?: UndecryptableInput }) {
    return this.call<SendResult>('POST', `/accounts/${fromPhone}/send`, input)
  }

  /**
   * `phone`'s phone fails to decrypt the next `count` messages from linked devices (of `from` only,
   * when given) and asks for a retry: at once, or with `retry: false` when `requestRetry` says so.
   */
  failDecrypts(phone: string, input: { count?: number; from?: string; retry?: boolean; includeKeys?: boolean }) {
    return this.call<DecryptFailures>('PUT', `/accounts/${phone}/decrypt-failures`, input)
  }

  /** `phone`'s phone asks again for message `id` it failed to decrypt (the next `<retry count>`). */
  requestRetry(phone: string, id: string, includeKeys = false) {
    return this.call<{ id: string; count: number; keys: boolean; status: 'sent' | 'queued' | 'gone' }>('POST', `/accounts/${phone}/retry`, { id, includeKeys })
  }

  /** What `phone`'s phone failed to decrypt and the retry receipts it sent. */
  retries(phone: string) {
    return this.call<{ failures: DecryptFailures | null; undecrypted: UndecryptedCopy[]; requests: RetryRequest[] }>('GET', `/accounts/${phone}/retries`)
  }

  messages(phone: string, query: { from?: string; since?: number } = {}) {
    const q = new URLSearchParams()
    if (query.from) q.set('from', query.from)
    if (query.since) q.set('since', String(query.since))
    return this.call<ReceivedMessage[]>('GET', `/accounts/${phone}/messages?${q}`)
  }

  /** Seeds the history `phone`'s phone pushes to a companion at its first login after pairing. */
  /** The contacts `phone` blocked, as WhatsApp keeps them (`<lid>@lid`). */
  blocklist(phone: string) {
    return this.call<string[]>('GET', `/accounts/${phone}/blocklist`)
  }

  /** What others see of `phone`: its about text, whether it has a picture, its business profile (null: not a business). */
  setProfile(phone: string, profile: { about?: string; picture?: boolean; business?: { description?: string; email?: string; website?: string; address?: string; category?: string } | null }) {
    return this.call('PUT', `/accounts/${phone}/profile`, profile)
  }

  /** `phone`'s push name and profile as it set it or the control API did (README "Profiles"). */
  profile(phone: string) {
    return this.call<SimulatedProfile>('GET', `/accounts/${phone}/profile`)
  }

  /** `phone`'s phone goes online (`true`) or offline: connections subscribed to it hear it (README "Presence"). */
  setPresence(phone: string, available: boolean) {
    return this.call<SimulatedPresence>('PUT', `/accounts/${phone}/presence`, { available })
  }

  /** `phone`'s phone shows `state` in its chat with `to` (a number, or a group JID it is in). */
  sendChatState(phone: string, to: string, state: 'composing' | 'recording' | 'paused') {
    return this.call<{ delivered: number }>('POST', `/accounts/${phone}/chatstate`, { to, state })
  }

  /** `phone`'s presence, the chat states its phone saw ("typing…"), and what its linked devices subscribed to. */
  presence(phone: string) {
    return this.call<SimulatedPresence>('GET', `/accounts/${phone}/presence`)
  }

  seedHistory(phone: string, seed: HistorySeed) {
    return this.call<{ chats: number; messages: number }>('PUT', `/accounts/${phone}/history`, seed)
  }

  /** The seeded history and every history sync the phone pushed. */
  history(phone: string) {
    return this.call<{ seeded: SeededHistory | null; pushes: HistoryPush[] }>('GET', `/accounts/${phone}/history`)
  }

  /** App-state sync as the phone has it: each chat's settings, each collection's version, which companions got the key, refused uploads. */
  appState(phone: string) {
    return this.call<SimulatorAppState>('GET', `/accounts/${phone}/app-state`)
  }

  /** A chat setting changed on `phone`'s phone: its companions hear of it through a `server_sync` and fetch the patch. */
  changeChatOnPhone(phone: string, chatJid: string, change: { archived: boolean } | { pinned: boolean } | { mutedUntil: number | null } | { markedUnread: boolean } | { deleted: true }) {
    return this.call<{ collection: string; version: number }>('POST', `/accounts/${phone}/chats/${encodeURIComponent(chatJid)}/app-state`, change)
  }

  /** The trusted-contact privacy tokens the account's devices issued, oldest first. */
  privacyTokens(phone: string) {
    return this.call<{ by: string; jid: string; t: number; at: number }[]>('GET', `/accounts/${phone}/privacy-tokens`)
  }

  receipts(phone: string) {
    return this.call<ReceiptRecord[]>('GET', `/accounts/${phone}/receipts`)
  }

  sendReceipt(fromPhone: string, to: string, ids: string[], type: 'delivery' | 'read' | 'played' = 'delivery') {
    return this.call('POST', `/accounts/${fromPhone}/receipts`, { to, ids, type })
  }

  setReceiptTiming(timing: { deliveryMs: number | null; readMs: number | null; phone?: string }) {
    return this.call('PUT', '/settings/receipts', timing)
  }

  markNotOnWhatsApp(phones: string[], notOnWhatsApp = true) {
    return this.call('POST', '/numbers/not-on-whatsapp', { phones, notOnWhatsApp })
  }

  unlink(phone: string, deviceId?: number) {
    return this.call<{ removed: number[] }>('POST', `/accounts/${phone}/unlink`, { deviceId })
  }

  /** The network drops every live connection of `phone`'s linked devices; they reconnect by themselves. */
  dropConnections(phone: string) {
    return this.call<{ dropped: number }>('POST', `/accounts/${phone}/drop`)
  }

  /**
   * A temporary ban of `phone` for `seconds`: its linked devices drop and are refused (402) until it
   * ends; `permanent`: refused with 403 until `unban`.
   */
  ban(phone: string, seconds: number, options: { permanent?: boolean } = {}) {
    return this.call<{ bannedUntil?: number }>('POST', `/accounts/${phone}/ban`, { seconds, ...options })
  }

  unban(phone: string) {
    return this.call<{ banned: false }>('DELETE', `/accounts/${phone}/ban`)
  }

  /**
   * What WhatsApp answers `phone`'s sends while it restricts the number (sending-limits.ts):
   * `rateOverlimit` answers the IQs before a send with 429 rate-overlimit; `refuseSendsWith` acks
   * every message stanza with that error code (e.g. "463") and delivers nothing. Absent fields keep their value.
   */
  setSendingLimits(phone: string, limits: { rateOverlimit?: boolean; refuseSendsWith?: string | null }) {
    return this.call<{ rateOverlimit: boolean; refuseSendsWith: string | null }>('PUT', `/accounts/${phone}/sending-limits`, limits)
  }

  sessions() {
    return this.call<{ id: string; phone?: string; deviceId?: number; jid?: string; state: string; clientVersion?: string }[]>('GET', '/sessions')
  }

  /**
   * The WhatsApp Web version served as current at `GET /sw.js` and the oldest let in at login
   * (`<failure reason="405"/>` below it); null resets one, an absent field keeps it.
   */
  setClientVersion(settings: { current?: string | null; minimum?: string | null }) {
    return this.call<{ current: string; minimum: string | null }>('PUT', '/settings/client-version', settings)
  }

  createGroup(input: { creator: string; subject: string; participants: string[]; addressingMode?: 'pn' | 'lid' }) {
    return this.call<{ jid: string; subject: string; participants: { phone: string; admin?: string }[]; addressingMode: 'pn' | 'lid' }>('POST', '/groups', input)
  }

  /** The phone `fromPhone` edits its message `messageId` in the chat with `to` (`timestampMs`: the edit's own time, as the sender states it; default now). */
  edit(fromPhone: string, to: string, messageId: string, text: string, timestampMs?: string | number) {
    return this.send(fromPhone, { to, edit: { messageId, text, ...(timestampMs === undefined ? {} : { timestampMs }) } })
  }

  /** The phone `fromPhone` deletes its message `messageId` for everyone in the chat with `to`. */
  revoke(fromPhone: string, to: string, messageId: string) {
    return this.send(fromPhone, { to, revoke: { messageId } })
  }

  groupParticipants(jid: string, input: { by: string; action: 'add' | 'remove' | 'promote' | 'demote'; participants: string[] }) {
    return this.call('POST', `/groups/${encodeURIComponent(jid)}/participants`, input)
  }

  /** A group as the simulator holds it, with how many metadata queries companions sent for it. */
  group(jid: string) {
    return this.call<SimulatedGroup & { metadataQueries: number }>('GET', `/groups/${encodeURIComponent(jid)}`)
  }

  /** The group's current invite-link code (made on first use). */
  groupInviteCode(jid: string) {
    return this.call<{ code: string }>('GET', `/groups/${encodeURIComponent(jid)}/invite`)
  }

  /** `phone` opens an invite link: joins, or asks to join when the group needs approval. */
  joinByInvite(code: string, phone: string) {
    return this.call<{ joined: boolean; requested: boolean; group: string }>('POST', `/invites/${encodeURIComponent(code)}/join`, { phone })
  }

  setJoinApproval(jid: string, input: { by: string; enabled: boolean }) {
    return this.call<SimulatedGroup>('PUT', `/groups/${encodeURIComponent(jid)}/join-approval`, input)
  }

  /** An admin's phone changes who may send (`announce`) or edit the group's info (`locked`). */
  setGroupSettings(jid: string, input: { by: string; announce?: boolean; locked?: boolean }) {
    return this.call<SimulatedGroup>('PUT', `/groups/${encodeURIComponent(jid)}/settings`, input)
  }

  /** "Who can add me to groups": nobody makes an admin's add come back 403 with an invite. */
  setGroupAddPrivacy(phone: string, groupAdd: 'all' | 'nobody') {
    return this.call<{ phone: string; groupAdd: string }>('PUT', `/accounts/${phone}/group-add-privacy`, { groupAdd })
  }

  groupSubject(jid: string, input: { by: string; subject: string }) {
    return this.call('POST', `/groups/${encodeURIComponent(jid)}/subject`, input)
  }

  /** `fromPhone` calls `to` (voice, or video); every linked device of `to` gets the offer. */
  placeCall(fromPhone: string, input: { to: string; video?: boolean; groupJid?: string }) {
    return this.call<SimulatedCall & { deliveries: { deviceId: number; status: 'sent' | 'queued' | 'gone' }[] }>('POST', `/accounts/${fromPhone}/calls`, input)
  }

  /** The callee's phone answers or declines, nobody answers (timeout), or the caller hangs up. */
  callAction(callId: string, action: 'accept' | 'reject' | 'timeout' | 'terminate') {
    return this.call<SimulatedCall>('POST', `/calls/${callId}/${action}`)
  }

  getCall(callId: string) {
    return this.call<SimulatedCall>('GET', `/calls/${callId}`)
  }

  calls(phone: string) {
    return this.call<SimulatedCall[]>('GET', `/accounts/${phone}/calls`)
  }

  groupSend(jid: string, input: ComposeInput & { from: string }) {
    return this.call<SendResult>('POST', `/groups/${encodeURIComponent(jid)}/send`, input)
  }
}

/** One account's world in the sandbox service (sandbox-service.ts): a simulator of its own. */
export interface SandboxWorld {
  world: string
  wsUrl: string
  controlUrl: string
  mediaUrl: string
  rootPublicKeyHex: string
  /** The media CA every world of the service shares. */
  mediaCaPem: string
}

/** The sandbox service's manager API: finds (and starts, on first use) an account's world. */
export class SandboxServiceClient {
  constructor(readonly url: string) {}

  async world(name: string): Promise<SandboxWorld> {
    const res = await fetch(`${this.url}/worlds/${encodeURIComponent(name)}`, { method: 'POST' })
    const data = (await res.json()) as SandboxWorld & { error?: string }
    if (!res.ok) throw new Error(`sandbox world ${name} → ${res.status}: ${data?.error}`)
    return data
  }

  /** The world's control API (the same one tests drive a simulator with). */
  async control(name: string): Promise<SimulatorClient> {
    return new SimulatorClient((await this.world(name)).controlUrl)
  }
}
