// Poll votes as a phone sends them. The vote names the options by the SHA-256 of their names and is
// encrypted with AES-256-GCM (tag appended) under a key derived from the poll's messageSecret:
// HMAC-SHA256(key = HMAC-SHA256(key = 32 zero bytes, secret), pollId ‖ creatorJid ‖ voterJid ‖ "Poll Vote" ‖ 0x01),
// additional data `pollId \0 voterJid` — the inverse of Baileys' decryptPollVote
// (node_modules/@whiskeysockets/baileys/lib/Utils/process-message.js) and whatsmeow's EncryptPollVote
// (msgsecret.go). Both JIDs are phone-number JIDs without a device here.
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto'
import type { proto } from '@whiskeysockets/baileys'
import type { Account } from './state.js'
import { ComposeError } from './compose.js'

export interface VoteInput {
  /** The poll's message id, as the voter's phone received it. */
  messageId: string
  /** The option names picked; empty takes the vote back. */
  options: string[]
}

const POLL_TYPES = ['pollCreationMessage', 'pollCreationMessageV2', 'pollCreationMessageV3'] as const

function userJid(jid: string): string {
  const [user, server] = jid.split('@')
  return `${user.split(':')[0]}@${server}`
}

/** The `pollUpdateMessage` `voter` sends for a poll in its inbox; `chat` is the chat as the voter names it. */
export function composeVote(voter: Account, vote: VoteInput, chat: string): proto.IMessage {
  const received = voter.inbox.find((message) => message.id === vote.messageId && POLL_TYPES.some((type) => type in message.message))
  if (!received) throw new ComposeError(`${voter.phone} has no poll ${vote.messageId}`)
  const secretText = (received.message.messageContextInfo as { messageSecret?: string } | undefined)?.messageSecret
  if (!secretText) throw new ComposeError(`poll ${vote.messageId} came without a messageSecret`)
  const poll = POLL_TYPES.map((type) => received.message[type]).find(Boolean) as { options?: { optionName?: string }[] }
  const names = (poll.options ?? []).map((option) => option.optionName ?? '')
  for (const name of vote.options) if (!names.includes(name)) throw new ComposeError(`"${name}" is not an option of poll ${vote.messageId}`)

  const creatorJid = userJid(received.from)
  const voterJid = `${voter.phone}@s.whatsapp.net`
  const selected = vote.options.map((name) => createHash('sha256').update(name).digest())
  // PollVoteMessage { repeated bytes selectedOptions = 1 }, written by hand to keep protobuf classes out of the wire path.
  const plaintext = Buffer.concat(selected.map((hash) => Buffer.concat([Buffer.from([0x0a, hash.length]), hash])))
  const key0 = createHmac('sha256', Buffer.alloc(32)).update(Buffer.from(secretText, 'base64')).digest()
  const sign = Buffer.concat([Buffer.from(vote.messageId), Buffer.from(creatorJid), Buffer.from(voterJid), Buffer.from('Poll Vote'), Buffer.from([1])])
  const key = createHmac('sha256', key0).update(sign).digest()
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(`${vote.messageId}\u0000${voterJid}`))
  const encPayload = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()])
  const isGroup = received.chat.endsWith('@g.us')
  return {
    pollUpdateMessage: {
      pollCreationMessageKey: { remoteJid: chat, fromMe: false, id: vote.messageId, ...(isGroup ? { participant: creatorJid } : {}) },
      vote: { encPayload, encIv: iv },
      senderTimestampMs: Date.now()
    }
  }
}
