import 'server-only'
import type { InstanceIdentity } from '@/lib/events/types'
import { messageKey } from '@/lib/messages/payloads'
import { tallyOf, type Poll, type PollTally, type PollVote } from '@/lib/messages/polls'
import { recordEvent } from './events'
import { sqlClient, type Executor } from './sql'
import type { Message } from './messages'

function toVote(row: Record<string, unknown>): PollVote {
  return {
    voter: row.voter as string,
    voterAlt: (row.voter_alt as string | null) ?? null,
    selectedOptions: (row.selected_options as string[]) ?? [],
    votedAt: new Date(row.voted_at as string),
  }
}

async function votesIn(tx: Executor, instanceId: string, pollId: string): Promise<PollVote[]> {
  const rows = await tx`
    select v.voter, v.voter_alt, v.selected_options, v.voted_at from poll_votes v
    join messages m on m.id = v.poll_id
    where v.poll_id = ${pollId} and m.instance_id = ${instanceId}
    order by v.voted_at, v.voter`
  return rows.map(toVote)
}

/** The poll's current tally: each voter's latest vote. */
export async function pollTally(instanceId: string, pollId: string, poll: Poll): Promise<PollTally> {
  return tallyOf(poll, await votesIn(sqlClient(), instanceId, pollId))
}

/**
 * A decrypted vote: it replaces the voter's earlier one unless that one is newer (votes may arrive
 * out of order), and POLL_VOTE and MESSAGES_UPDATE announce the vote with the tally after it. A vote delivered
 * twice changes nothing and is announced once.
 */
export async function recordPollVote(instance: InstanceIdentity, pollMessage: Message, poll: Poll, vote: PollVote): Promise<PollTally | undefined> {
  return sqlClient().begin(async (tx) => {
    const [owned] = await tx`select 1 from messages where id = ${pollMessage.id} and instance_id = ${instance.id} for update`
    if (!owned) return undefined
    const [stored] = await tx`
      insert into poll_votes (poll_id, voter, voter_alt, selected_options, voted_at)
      values (${pollMessage.id}, ${vote.voter}, ${vote.voterAlt}, ${tx.json(vote.selectedOptions)}, ${vote.votedAt})
      on conflict (poll_id, voter) do update
        set selected_options = excluded.selected_options, voter_alt = excluded.voter_alt, voted_at = excluded.voted_at, updated_at = now()
        where poll_votes.voted_at < excluded.voted_at
      returning voter`
    if (!stored) return undefined
    const tally = tallyOf(poll, await votesIn(tx, instance.id, pollMessage.id))
    const announced = {
      key: messageKey(pollMessage),
      pollVote: {
        voter: vote.voter,
        ...(vote.voterAlt ? { voterAlt: vote.voterAlt } : {}),
        selectedOptions: vote.selectedOptions,
        votedAt: vote.votedAt.toISOString(),
      },
      poll: tally,
    }
    // Its own event for endpoints that want votes only, and a MESSAGES_UPDATE for those following a message's changes.
    await recordEvent(tx, instance, 'POLL_VOTE', announced)
    await recordEvent(tx, instance, 'MESSAGES_UPDATE', announced)
    return tally
  })
}
