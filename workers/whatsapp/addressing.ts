// Who a message is with, as our payloads name it. Baileys gives a message's key as WhatsApp addressed
// the stanza: a LID-addressed contact arrives as `remoteJid: <lid>@lid` with its number in
// `remoteJidAlt` (when WhatsApp sent `sender_pn`), a PN-addressed one the other way round, and groups
// the same for `participant` / `participantAlt` (node_modules/@whiskeysockets/baileys/lib/Utils/decode-wa-message.js,
// `decodeMessageNode`). Ours: the phone-number JID whenever it is known, the LID beside it. A number
// learnt earlier (usync, an earlier message, before a restart or on another worker) comes from
// Baileys' LID mapping, which lives in the instance's auth state in Postgres.
import { isJidGroup, isLidUser, isPnUser, jidNormalizedUser, type WAMessageKey, type WASocket } from '@whiskeysockets/baileys'

export type Identity = { jid: string; alt: string | null }

/** A user JID (PN or LID, any device) and what it is known as otherwise: PN first whenever known. */
export async function identityOf(socket: WASocket | undefined, jid: string, alt?: string | null): Promise<Identity> {
  const primary = jidNormalizedUser(jid)
  const other = alt ? jidNormalizedUser(alt) : null
  if (isLidUser(primary)) {
    if (other && isPnUser(other)) return { jid: other, alt: primary }
    const number = await socket?.signalRepository.lidMapping.getPNForLID(primary).catch(() => null)
    return number ? { jid: jidNormalizedUser(number), alt: primary } : { jid: primary, alt: null }
  }
  if (isPnUser(primary)) {
    if (other && isLidUser(other)) return { jid: primary, alt: other }
    const lidUser = await storedLidOf(socket, primary)
    return { jid: primary, alt: lidUser ? `${lidUser}@lid` : null }
  }
  return { jid: primary, alt: null }
}

/** The stored mapping only: Baileys' getLIDForPN would ask WhatsApp (usync) for an unknown number. */
async function storedLidOf(socket: WASocket | undefined, pnJid: string): Promise<string | null> {
  if (!socket) return null
  const user = pnJid.split('@')[0]
  try {
    const value: unknown = (await socket.authState.keys.get('lid-mapping', [user]))[user]
    return typeof value === 'string' ? value : null
  } catch {
    return null
  }
}

export type AddressedKey = { remoteJid: string; remoteJidAlt: string | null; participant: string | null; participantAlt: string | null }

/** A Baileys message key with its chat (and, in groups, its sender) named as our payloads name them. */
export async function addressKey(socket: WASocket | undefined, key: WAMessageKey): Promise<AddressedKey> {
  const remoteJid = key.remoteJid ?? ''
  if (isJidGroup(remoteJid) || !key.remoteJid) {
    const participant = key.participant ? await identityOf(socket, key.participant, key.participantAlt) : null
    return { remoteJid: jidNormalizedUser(remoteJid) || remoteJid, remoteJidAlt: null, participant: participant?.jid ?? null, participantAlt: participant?.alt ?? null }
  }
  const chat = await identityOf(socket, remoteJid, key.remoteJidAlt)
  return { remoteJid: chat.jid, remoteJidAlt: chat.alt, participant: null, participantAlt: null }
}
