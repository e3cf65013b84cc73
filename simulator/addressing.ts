// How a simulated account is named on the wire. WhatsApp addresses a growing share of users by LID
// instead of phone number (PN), and says which in the stanza's attributes; the receiving client maps
// one to the other. The attribute names and where they go follow Baileys' `extractAddressingContext`
// and `decodeMessageNode` (node_modules/@whiskeysockets/baileys/lib/Utils/decode-wa-message.js) and
// whatsmeow's `parseMessageSource` (message.go); README.md, "LID addressing", lists what is modelled.
import type { Account, AccountAddressing, Group } from './state.js'

export const pnJid = (account: Account) => `${account.phone}@s.whatsapp.net`
export const lidJid = (account: Account) => `${account.lid}@lid`

export function addressingOf(account: Account): AccountAddressing {
  return account.addressing ?? { mode: 'pn', sharesPhoneNumber: true }
}

/** The JID others use for a chat with `account`: its LID when WhatsApp addresses it by LID. */
export function chatJidOf(account: Account): string {
  return addressingOf(account).mode === 'lid' ? lidJid(account) : pnJid(account)
}

type Attrs = Record<string, string | undefined>

/** A contact's 1:1 message: `from` its LID with `sender_pn` (unless hidden), or its PN with `sender_lid`. */
export function directSenderAttrs(from: Account): Attrs {
  const { mode, sharesPhoneNumber } = addressingOf(from)
  if (mode === 'lid') return { from: lidJid(from), sender_pn: sharesPhoneNumber ? pnJid(from) : undefined }
  return { from: pnJid(from), sender_lid: lidJid(from) }
}

/** A member's group post: `participant` by the group's addressing mode, the other identity beside it. */
export function groupSenderAttrs(group: Group, from: Account): Attrs {
  if (group.addressingMode === 'lid') {
    return { participant: lidJid(from), participant_pn: addressingOf(from).sharesPhoneNumber ? pnJid(from) : undefined, addressing_mode: 'lid' }
  }
  return { participant: pnJid(from), participant_lid: lidJid(from), addressing_mode: 'pn' }
}

/**
 * The own phone's copy of what it sent to `peer`, for its linked devices: `from` the own account,
 * `recipient` the chat, and the chat's other identity as `peer_recipient_pn` / `peer_recipient_lid`
 * (whatsmeow reads these as RecipientAlt). A LID chat is written from the own LID.
 */
export function deviceSentAttrs(own: Account, peer: Account): Attrs {
  const { mode, sharesPhoneNumber } = addressingOf(peer)
  if (mode === 'lid') return { from: lidJid(own), recipient: lidJid(peer), peer_recipient_pn: sharesPhoneNumber ? pnJid(peer) : undefined }
  return { from: pnJid(own), recipient: pnJid(peer), peer_recipient_lid: lidJid(peer) }
}

/** A participant as group metadata lists it: by LID (with `phone_number`) in LID groups, else by PN (with `lid`). */
export function participantAttrs(group: Group, account: Account): Attrs {
  if (group.addressingMode === 'lid') {
    return { jid: lidJid(account), phone_number: addressingOf(account).sharesPhoneNumber ? pnJid(account) : undefined }
  }
  return { jid: pnJid(account), lid: lidJid(account) }
}

/** How a group names a member in notifications and keys. */
export function memberJid(group: Group, account: Account): string {
  return group.addressingMode === 'lid' ? lidJid(account) : pnJid(account)
}
