// The simulated world, as plain JSON-able data (binary values are base64), so
// it can be written to disk as is and survive a simulator restart.
import type { HistoryPush, SeededHistory } from './history.js'

export interface SignalDeviceState {
  registrationId: number
  identityPub: string // 33-byte form
  identityPriv: string
  signedPreKey: { keyId: number; pub: string; priv: string; signature: string }
  /** Private halves of one-time pre-keys, kept until a pkmsg consumes them. */
  preKeys: Record<string, { pub: string; priv: string }>
  /** One-time pre-key ids the server may still hand out. */
  unservedPreKeys: number[]
  nextPreKeyId: number
  sessions: Record<string, unknown>
}

/** A linked device (a Baileys client) of an account. */
export interface Companion {
  deviceId: number
  keyIndex: number
  registrationId: number
  identityKey: string // 32 bytes
  signedPreKey: { keyId: number; pub: string; signature: string }
  /** Uploaded one-time pre-keys not yet handed out (id → 32-byte public key). */
  preKeys: Record<string, string>
  noiseKey: string
  platform: string
  createdAt: number
  /** Encoded stanzas waiting for the next login. */
  queue: string[]
  /**
   * Stanzas sent to a connection of this companion that it has not acknowledged yet (redelivery.ts):
   * `key` names what clears it, `conn` the connection it went to. Absent in older world files.
   */
  unacked?: UnackedStanza[]
  /** Asked for the whole history at pairing (`DeviceProps.requireFullSync`): FULL chunks follow the recent ones. */
  requireFullSync?: boolean
  /** Paired and not yet logged in since: its first login gets the history sync (history.ts). Absent in older world files. */
  historyPending?: boolean
  /** The phone sent it its app-state key (app-state.ts). Absent in older world files: sent at the next login. */
  appStateKeyShared?: boolean
}

export interface UnackedStanza {
  key: string
  conn: string
  stanza: string
}

export interface ReceivedMessage {
  id: string
  /** Sending device JID as seen on the wire. */
  from: string
  /** Chat the message belongs to (the other party, or the group). */
  chat: string
  /** Which simulated device decrypted it. */
  device: number
  type: string
  mediatype?: string
  /** The stanza's `edit` attribute: 1 an edit, 7 the sender's own deletion, 8 an admin's (outbound.ts, editAttributeOf). */
  edit?: string
  message: Record<string, unknown>
  receivedAt: number
  /** Decrypted bytes of an attached upload, base64, when the blob was found on the media host. */
  media?: { base64: string; sha256: string; length: number; ok: boolean; error?: string }
  deviceSent?: boolean
  /** How many copies with this id the phone got, when more than one (it keeps the first only). */
  copies?: number
}

export interface ReceiptRecord {
  id: string
  from: string
  type: string
  at: number
  /** A retry receipt's attempt number (`<retry count>`), and whether it carried a key bundle. */
  count?: number
  keys?: boolean
}

/** The phone fails to decrypt the next `remaining` messages from linked devices (README.md, "Retries"). */
export interface DecryptFailures {
  remaining: number
  /** Only messages from this number's linked devices; any sender when absent. */
  from?: string
  /** Ask for a retry at once (true), or leave it to `POST /accounts/{phone}/retry` (false). */
  retry: boolean
  /** Put a key bundle in the first retry receipt too (a phone that lost its session does). */
  includeKeys: boolean
}

/** A message the phone could not decrypt, as it needs it to ask for a retry later. */
export interface UndecryptedCopy {
  id: string
  /** The sending linked device. */
  phone: string
  deviceId: number
  /** The chat as the sender addressed it (`to` of its stanza): where the retry receipt comes from. */
  chat: string
  /** The stanza's `t`, echoed in `<retry t>`. */
  t: string
  at: number
}

/** A retry receipt the phone sent. */
export interface RetryRequest {
  id: string
  /** The linked device asked to resend, `{phone}:{deviceId}@s.whatsapp.net`. */
  to: string
  count: number
  keys: boolean
  at: number
}

/** A message a phone sent unreadable on purpose, kept to resend when the recipient asks for a retry. */
export interface HeldForRetry {
  id: string
  to: string
  /** The proto.Message, encoded, base64. */
  message: string
  /** How many more copies go out unreadable before a readable one. */
  failuresLeft: number
  /** false: retry receipts are recorded but never answered. */
  resend: boolean
  t: number
}

export interface Account {
  phone: string
  lid: string
  name: string
  phoneDevice: SignalDeviceState
  companions: Companion[]
  nextDeviceId: number
  nextKeyIndex: number
  inbox: ReceivedMessage[]
  /** Receipts this account's companions sent for messages it got from others. */
  receipts: ReceiptRecord[]
  /** Per-account override of the automatic receipt timing. */
  receiptTiming?: ReceiptTiming
  /**
   * A temporary ban until this time (ms): logins of its companions get `<failure reason="402"
   * code expire>` (README.md, "Bans").
   */
  bannedUntil?: number
  /** A ban that is not temporary: logins get `<failure reason="403">` with WhatsApp's notice (README.md, "Bans"). */
  bannedForGood?: boolean
  /** What WhatsApp answers this account's sends while it restricts it (sending-limits.ts). */
  sendingLimits?: import('./sending-limits.js').SendingLimits
  /** Group sender keys the phone received, by SenderKeyName string, as Baileys serialises them. */
  senderKeys?: Record<string, string>
  /**
   * How WhatsApp addresses this account's messages to others: by phone number (the default) or by
   * LID (`from="<lid>@lid"`), and whether a LID-addressed stanza still reveals the number
   * (`sender_pn` / `participant_pn`). README.md, "LID addressing".
   */
  addressing?: AccountAddressing
  /** Retries (README.md, "Retries"): decrypt failures to simulate, what failed, retry receipts sent, messages held for a resend. */
  decryptFailures?: DecryptFailures
  undecrypted?: UndecryptedCopy[]
  retryRequests?: RetryRequest[]
  heldForRetry?: HeldForRetry[]
  /** What the phone pushes to a newly linked companion (control API `PUT /accounts/{phone}/history`). */
  history?: SeededHistory
  /** The history syncs it pushed, in order. */
  historyPushes?: HistoryPush[]
  /** Privacy "who can add me to groups" set to nobody: an admin's add gets 403 with an invite (README.md, "Groups"). */
  refusesGroupAdds?: boolean
  /** Contacts this account blocked, as WhatsApp keeps them: `<lid>@lid` (blocklist.ts). */
  blocked?: string[]
  /** What others see of the account (profile.ts, usync.ts): about text, picture, business profile. */
  profile?: AccountProfile
  /** Online now, or when last seen (unix seconds): set by its phone (control API) or its companions' `<presence>` (presence.ts). */
  presence?: { available: boolean; lastSeen?: number }
  /** Chat states ("typing…") others showed this account's phone, newest last (presence.ts). */
  chatstates?: ChatstateRecord[]
  /** App-state sync (app-state.ts): the phone's keys, each collection's patches, and the chat settings they add up to. */
  appState?: AccountAppState
  /**
   * Trusted-contact privacy tokens its devices issued (`iq xmlns=privacy type=set <tokens>`), oldest
   * first: WhatsApp Web issues one per contact per 7-day bucket, after a 1:1 send (iq.ts).
   */
  privacyTokensIssued?: { by: string; jid: string; t: number; at: number }[]
  /** Uploads the phone refused (a MAC that did not verify), for tests. */
  appStateRejections?: { collection: string; reason: string; by: string; at: number }[]
}

export interface ChatstateRecord {
  /** Who is typing (a number). */
  from: string
  /** The chat it shows in: the typist's JID in a 1:1 chat, or the group's. */
  chat: string
  state: 'composing' | 'recording' | 'paused'
  at: number
}

export interface AccountAppState {
  /** base64 key ids and 32-byte key data; the last one is current. */
  keys: { id: string; data: string; timestamp: number }[]
  collections: Record<string, AppStateCollection>
  /** By chat JID as the patches' indexes name it. */
  chats: Record<string, ChatAppState>
}

export interface AppStateCollection {
  version: number
  /** The LTHash of the live records, base64 (128 bytes). */
  hash: string
  /** Live records by index MAC (base64): the key id and the value blob (ciphertext ‖ value MAC), base64. */
  records: Record<string, { keyId: string; value: string }>
  /** Every patch, encoded `SyncdPatch` base64; patches[i] is version i + 1. */
  patches: string[]
}

export interface ChatAppState {
  archived: boolean
  pinned: boolean
  /** ms since the epoch; -1 muted with no end; null not muted. */
  mutedUntil: number | null
  markedUnread: boolean
  deleted?: boolean
  changedAt?: number
  /** `phone`, or `device:<id>` for a companion's upload. */
  changedBy?: string
}

export interface AccountProfile {
  about?: string
  /** When the account set its about text itself (unix seconds): usync's `status@t`. */
  aboutSetAt?: number
  pictureId?: string
  /** The picture the account set itself (`w:profile:picture` set): its size and SHA-256, hex. */
  picture?: { length: number; sha256: string }
  business?: { description?: string; email?: string; website?: string; address?: string; category?: string }
}

export interface AccountAddressing {
  mode: 'pn' | 'lid'
  /** false: LID-addressed stanzas carry no `sender_pn`/`participant_pn` (the number is hidden). */
  sharesPhoneNumber: boolean
}

export interface GroupParticipant {
  phone: string
  admin?: 'admin' | 'superadmin'
}

export interface Group {
  id: string // user part of {id}@g.us
  subject: string
  creator: string
  creation: number
  subjectTime: number
  description?: string
  participants: GroupParticipant[]
  /** `lid`: participants are listed and posts arrive by LID, with `participant_pn` (README.md, "LID addressing"). */
  addressingMode?: 'pn' | 'lid'
  descriptionId?: string
  /** Only admins may send (`announcement`). */
  announce?: boolean
  /** Only admins may edit the subject, description, picture and disappearing timer (`locked`). */
  locked?: boolean
  /** Disappearing-messages timer in seconds; absent when off. */
  ephemeral?: number
  /** The current invite-link code, made on the first request for it. */
  inviteCode?: string
  /** Codes replaced by a revoke: WhatsApp answers them 410 gone. */
  revokedInviteCodes?: string[]
  /** Joining by link needs an admin's approval (`membership_approval_mode`). */
  joinApproval?: boolean
  /** Pending requests to join, while joinApproval is on. */
  joinRequests?: { phone: string; t: number }[]
  pictureId?: string
}

export interface ReceiptTiming {
  /** ms after the server ack; null = never automatically. */
  deliveryMs: number | null
  readMs: number | null
}

export interface WorldState {
  version: 1
  accounts: Record<string, Account>
  notOnWhatsApp: string[]
  groups: Record<string, Group>
  nextLid: number
  nextGroup: number
  receiptTiming: ReceiptTiming
  /** Whether unknown numbers spring into existence as WhatsApp users on first use. */
  autoRegister: boolean
  /**
   * The WhatsApp Web version served as current (`GET /sw.js`; null: Baileys' bundled one) and the
   * oldest let in at login (null: any). See client-version.ts.
   */
  clientVersion?: { current: string | null; minimum: string | null }
}

export function emptyWorld(): WorldState {
  return {
    version: 1,
    accounts: {},
    notOnWhatsApp: [],
    groups: {},
    nextLid: 100000000000001,
    nextGroup: 1,
    receiptTiming: { deliveryMs: 300, readMs: 1000 },
    autoRegister: true
  }
}
