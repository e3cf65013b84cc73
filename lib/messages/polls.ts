// Polls as WhatsApp carries them: the question and options in a pollCreationMessage (V3 for a single
// choice, V2 in community announcement groups), and votes naming options by the SHA-256 of their
// names (Baileys: getAggregateVotesInPollMessage in node_modules/@whiskeysockets/baileys/lib/Utils/messages.js).
import { createHash } from 'node:crypto'

export type Poll = { name: string; selectableCount: number; options: string[] }
export type PollVote = { voter: string; voterAlt: string | null; selectedOptions: string[]; votedAt: Date }
export type PollTally = { name: string; selectableCount: number; options: { name: string; votes: number; voters: string[] }[] }

const POLL_TYPES = ['pollCreationMessage', 'pollCreationMessageV2', 'pollCreationMessageV3'] as const

/** The poll in a stored message's content, or undefined when it is not a poll. */
export function pollOf(message: Record<string, unknown>): Poll | undefined {
  for (const type of POLL_TYPES) {
    const poll = message[type] as { name?: string; selectableOptionsCount?: number; options?: { optionName?: string }[] } | undefined
    if (poll) return { name: poll.name ?? '', selectableCount: poll.selectableOptionsCount ?? 0, options: (poll.options ?? []).map((option) => option.optionName ?? '') }
  }
  return undefined
}

/** The 32-byte secret votes on this poll are encrypted with (messageContextInfo.messageSecret), stored as base64. */
export function messageSecretOf(message: Record<string, unknown>): Buffer | undefined {
  const secret = (message.messageContextInfo as { messageSecret?: string } | undefined)?.messageSecret
  return secret ? Buffer.from(secret, 'base64') : undefined
}

export function optionHash(name: string): string {
  return createHash('sha256').update(name).digest('hex')
}

/** The option names a vote's hashes stand for, in the poll's order (hashes of no option are dropped). */
export function optionsVotedFor(poll: Poll, hashes: Buffer[]): string[] {
  const chosen = new Set(hashes.map((hash) => hash.toString('hex')))
  return poll.options.filter((name) => chosen.has(optionHash(name)))
}

export function tallyOf(poll: Poll, votes: PollVote[]): PollTally {
  return {
    name: poll.name,
    selectableCount: poll.selectableCount,
    options: poll.options.map((name) => {
      const voters = votes.filter((vote) => vote.selectedOptions.includes(name)).map((vote) => vote.voter)
      return { name, votes: voters.length, voters }
    }),
  }
}
