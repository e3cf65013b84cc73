// Messages WhatsApp delivers that Baileys cannot decrypt. Baileys then asks the sender for a retry and
// emits the message as a stub: `messageStubType` CIPHERTEXT, no content
// (node_modules/@whiskeysockets/baileys/lib/Socket/messages-recv.js `handleMessage`,
// lib/Utils/decode-wa-message.js `decryptMessageNode`). The sender usually resends it readable within
// seconds, with the same id. So the stub is held, not announced (lib/store/undecryptable-messages.ts):
// the readable copy is announced once, with its content; a message that never becomes readable is
// announced once as `undecryptable` after the grace period (workers/messaging/undecryptable-announcer.ts).
import { proto, type WAMessage } from '@whiskeysockets/baileys'
import { holdUndecryptable } from '@/lib/store/messages'
import type { InstanceSession } from './session'
import { addressKey } from './addressing'
import { ignoredBySettings } from './inbound-filter'

export function isUndecryptable(message: WAMessage): boolean {
  return message.messageStubType === proto.WebMessageInfo.StubType.CIPHERTEXT && !message.message
}

export async function holdUndecryptableStub(session: InstanceSession, message: WAMessage): Promise<void> {
  // A peer message (our own phone's protocol traffic) is no message of the chat; Baileys asks no retry for it either.
  if (!message.key.id || !message.key.remoteJid || message.category === 'peer') return
  if (ignoredBySettings(message.key.remoteJid, session.settings)) return
  const { remoteJid, remoteJidAlt, participant, participantAlt } = await addressKey(session.socket, message.key)
  const timestamp = message.messageTimestamp === null || message.messageTimestamp === undefined ? Math.floor(Date.now() / 1000) : Number(message.messageTimestamp)
  await holdUndecryptable(session.instance, {
    waId: message.key.id,
    remoteJid,
    remoteJidAlt,
    fromMe: Boolean(message.key.fromMe),
    participant,
    participantAlt,
    pushName: message.pushName ?? null,
    messageTimestamp: timestamp,
    reason: typeof message.messageStubParameters?.[0] === 'string' ? message.messageStubParameters[0] : null,
  })
}
