// Poll votes. A vote arrives as a `pollUpdateMessage` naming the poll by its key, its choice encrypted
// (AES-GCM) with a key derived from the poll's 32-byte messageSecret, the poll's id, its creator's
// JID and the voter's JID (Baileys: decryptPollVote in node_modules/@whiskeysockets/baileys/lib/Utils/process-message.js,
// whose own call to it is commented out in this version; whatsmeow: DecryptPollVote in msgsecret.go).
// We decrypt it against the poll we stored (our sends keep Baileys' message with its secret), and
// store the voter's latest choice: the tally is read from Postgres, never kept in memory.
import { decryptPollVote, jidNormalizedUser, type proto, type WAMessage, type WASocket } from '@whiskeysockets/baileys'
import type { InstanceIdentity } from '@/lib/events/types'
import { messageSecretOf, optionsVotedFor, pollOf } from '@/lib/messages/polls'
import { findByWaId, type Message } from '@/lib/store/messages'
import { recordPollVote } from '@/lib/store/poll-votes'
import { addressKey } from './addressing'
import { senderTimeOf } from './sender-time'

/** Our own JID in both forms: a vote names its poll's creator as the chat addressed it. */
function ownJids(socket: WASocket | undefined): string[] {
  const lid = socket?.user?.lid ?? socket?.authState.creds.me?.lid
  return [socket?.user?.id, lid].filter((jid): jid is string => !!jid).map((jid) => jidNormalizedUser(jid))
}

function creatorJids(socket: WASocket | undefined, poll: Message): string[] {
  if (poll.fromMe) return ownJids(socket)
  const author = poll.remoteJid.endsWith('@g.us') ? [poll.participant, poll.participantAlt] : [poll.remoteJid, poll.remoteJidAlt]
  return author.filter((jid): jid is string => !!jid)
}

/** Tries each form of the creator's and the voter's JIDs: the one the voter's phone used opens the vote. */
function decryptVote(vote: proto.Message.IPollEncValue, pollId: string, secret: Buffer, creators: string[], voters: string[]): Buffer[] | undefined {
  for (const pollCreatorJid of creators) {
    for (const voterJid of voters) {
      try {
        const decrypted = decryptPollVote(vote, { pollCreatorJid, pollMsgId: pollId, pollEncKey: secret, voterJid })
        return (decrypted.selectedOptions ?? []).map((hash) => Buffer.from(hash))
      } catch {
        // another pairing of identities, or a vote not meant for this poll
      }
    }
  }
  return undefined
}

/** Handles a `pollUpdateMessage`: true when it was one (stored as a vote, or dropped when it cannot be read). */
export async function handlePollVote(instance: InstanceIdentity, socket: WASocket | undefined, envelope: WAMessage, content: proto.IMessage): Promise<boolean> {
  const update = content.pollUpdateMessage
  if (!update) return false
  const pollId = update.pollCreationMessageKey?.id
  if (!pollId || !update.vote?.encPayload || !update.vote.encIv) return true
  const pollMessage = await findByWaId(instance.id, pollId)
  const poll = pollMessage && pollOf(pollMessage.message)
  const secret = pollMessage && messageSecretOf(pollMessage.message)
  if (!pollMessage || !poll || !secret) return true
  const address = await addressKey(socket, envelope.key)
  const voter = envelope.key.fromMe
    ? { jid: ownJids(socket)[0], alt: ownJids(socket)[1] ?? null }
    : address.participant
      ? { jid: address.participant, alt: address.participantAlt }
      : { jid: address.remoteJid, alt: address.remoteJidAlt }
  const hashes = decryptVote(update.vote, pollId, secret, creatorJids(socket, pollMessage), [voter.jid, voter.alt].filter((jid): jid is string => !!jid))
  if (!hashes) return true
  await recordPollVote(instance, pollMessage, poll, {
    voter: voter.jid,
    voterAlt: voter.alt,
    selectedOptions: optionsVotedFor(poll, hashes),
    votedAt: senderTimeOf(update.senderTimestampMs, envelope.messageTimestamp),
  })
  return true
}
