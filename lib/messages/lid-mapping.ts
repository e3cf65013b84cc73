import 'server-only'
import { decryptSecret } from '@/lib/crypto/secrets'
import { authKeyContext, readKeys } from '@/lib/store/whatsapp-auth'

/**
 * An instance's LID ↔ phone-number mapping, as Baileys keeps it in the instance's sealed auth state
 * (category `lid-mapping`: key `<number>` → LID user, key `<lid user>_reverse` → number; written by
 * `LIDMappingStore` in node_modules/@whiskeysockets/baileys/lib/Signal/lid-mapping.js). Reading it here
 * answers from Postgres, so it holds across restarts and workers, and needs no connected socket.
 */
const CATEGORY = 'lid-mapping'

async function readMapping(instanceId: string, keyId: string): Promise<string | null> {
  const [stored] = await readKeys(instanceId, CATEGORY, [keyId])
  if (!stored) return null
  const value: unknown = JSON.parse(decryptSecret(stored.sealed, authKeyContext(instanceId, CATEGORY, keyId)).toString())
  return typeof value === 'string' && /^\d+$/.test(value) ? value : null
}

/** The LID user (digits) of a phone number (digits), when the instance has learnt it. */
export function lidOfNumber(instanceId: string, number: string): Promise<string | null> {
  return readMapping(instanceId, number)
}

/** The phone number (digits) behind a LID user (digits), when the instance has learnt it. */
export function numberOfLid(instanceId: string, lidUser: string): Promise<string | null> {
  return readMapping(instanceId, `${lidUser}_reverse`)
}

/**
 * A 1:1 chat as we name it: the phone-number JID whenever the number is known, with the LID as
 * `remoteJidAlt`; a LID we cannot map stays the chat. Groups pass through.
 */
export async function chatOf(instanceId: string, jid: string): Promise<{ remoteJid: string; remoteJidAlt: string | null }> {
  const [user, server] = jid.split('@')
  if (server === 'lid') {
    const number = await numberOfLid(instanceId, user)
    return number ? { remoteJid: `${number}@s.whatsapp.net`, remoteJidAlt: jid } : { remoteJid: jid, remoteJidAlt: null }
  }
  if (server === 's.whatsapp.net') {
    const lid = await lidOfNumber(instanceId, user)
    return { remoteJid: jid, remoteJidAlt: lid ? `${lid}@lid` : null }
  }
  return { remoteJid: jid, remoteJidAlt: null }
}
