// The simulated world, as plain JSON-able data (binary values are base64), so
// it can be written to disk as is and survive a simulator restart.

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
  /** Group sender keys the phone received, by SenderKeyName string, as Baileys serialises them. */
  senderKeys?: Record<string, string>
  /**
   * How WhatsApp addresses this account's messages to others: by phone number (the default) or by
   * LID (`from="<lid>@lid"`), and whether a LID-addressed stanza still reveals the number
   * (`sender_pn` / `participant_pn`). README.md, "LID addressing".
   */
  addressing?: AccountAddressing
  /** Privacy "who can add me to groups" set to nobody: an admin's add gets 403 with an invite (README.md, "Groups"). */
  refusesGroupAdds?: boolean
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
