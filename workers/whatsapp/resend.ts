// Retries: a recipient's device that could not decrypt one of our messages sends a retry receipt, and
// Baileys encrypts the message again for it (node_modules/@whiskeysockets/baileys/lib/Socket/messages-recv.js,
// `sendMessagesAgain`). Baileys remembers what it sent for 5 minutes, on that socket only; after a
// reconnect, a failover or a recipient who was offline for hours it asks the app (`getMessage`). We
// answer from the messages table: our own messages of the last 24 hours, as WhatsApp got them. An
// older one is not sent again (it stays "waiting for this message" on that device, as WhatsApp's own
// apps leave it too).
import { proto, type WAMessageKey } from '@whiskeysockets/baileys'
import type { InstanceIdentity } from '@/lib/events/types'
import { ownMessageForResend } from '@/lib/store/messages'

export const RESEND_WINDOW_SECONDS = 24 * 3600

/** Baileys' `getMessage` for one instance. */
export function messageForRetry(instance: InstanceIdentity) {
  return async (key: WAMessageKey): Promise<proto.IMessage | undefined> => {
    if (!key.id || !key.fromMe) return undefined
    const stored = await ownMessageForResend(instance.id, key.id, RESEND_WINDOW_SECONDS)
    // Stored as plain JSON by messageToJson (events.ts): fromObject turns base64 and numbers back into bytes and longs.
    return stored ? proto.Message.fromObject(stored) : undefined
  }
}
