import 'server-only'
import type { InstanceIdentity } from '@/lib/events/types'
import type { Message } from './messages'
import type { Executor } from './sql'
import { heldByLiveWorker } from './workers'

/**
 * The `undecryptable_messages` table: messages WhatsApp delivered that this device could not decrypt
 * (Baileys' CIPHERTEXT stub), held while the sender may still resend them readable (a retry receipt
 * asked for that). Rows, not timers, so whichever worker holds the instance later, after a restart or
 * a failover, finds them. A row leaves this table one way or the other, inside a `messages`
 * transaction (lib/store/messages/): the readable copy is stored (`dropHeld`), or the grace period
 * ended and the message is recorded and announced as undecryptable (`takeDueHeld`).
 */
export type HeldUndecryptable = Pick<Message, 'waId' | 'remoteJid' | 'remoteJidAlt' | 'fromMe' | 'participant' | 'participantAlt' | 'pushName'> & {
  messageTimestamp: number
  reason: string | null
}

export async function insertHeld(tx: Executor, instance: InstanceIdentity, held: HeldUndecryptable): Promise<void> {
  await tx`
    insert into undecryptable_messages (instance_id, user_id, wa_id, remote_jid, remote_jid_alt, from_me, participant, participant_alt, push_name,
                                        message_timestamp, reason)
    values (${instance.id}, ${instance.userId}, ${held.waId}, ${held.remoteJid}, ${held.remoteJidAlt}, ${held.fromMe}, ${held.participant},
            ${held.participantAlt}, ${held.pushName}, ${held.messageTimestamp}, ${held.reason})
    on conflict (instance_id, remote_jid, wa_id, from_me) do nothing`
}

/** The readable copy arrived: the held stub (named by either identity of its chat) is forgotten. */
export async function dropHeld(tx: Executor, instanceId: string, key: { waId: string; fromMe: boolean; chats: string[] }): Promise<void> {
  await tx`
    delete from undecryptable_messages
    where instance_id = ${instanceId} and wa_id = ${key.waId} and from_me = ${key.fromMe}
      and (remote_jid = any(${key.chats}) or remote_jid_alt = any(${key.chats}))`
}

/**
 * Takes (deletes and returns) held stubs older than `graceMs`, of instances `workerId` holds; rows
 * another transaction is taking are skipped, so each is taken once.
 */
export async function takeDueHeld(tx: Executor, workerId: string, graceMs: number, limit: number): Promise<(HeldUndecryptable & { instance: InstanceIdentity })[]> {
  const rows = await tx`
    with due as (
      select u.id from undecryptable_messages u join instances i on i.id = u.instance_id and i.worker_id = ${workerId} and ${heldByLiveWorker(tx, 'i.worker_id')}
      where u.created_at <= now() - make_interval(secs => ${graceMs / 1000})
      order by u.created_at limit ${limit}
      for update of u skip locked
    )
    delete from undecryptable_messages u using due, instances i
    where u.id = due.id and i.id = u.instance_id
    returning u.*, i.name as instance_name`
  return rows.map((row) => ({
    instance: { id: row.instance_id as string, userId: row.user_id as string, name: row.instance_name as string },
    waId: row.wa_id as string,
    remoteJid: row.remote_jid as string,
    remoteJidAlt: (row.remote_jid_alt as string | null) ?? null,
    fromMe: Boolean(row.from_me),
    participant: (row.participant as string | null) ?? null,
    participantAlt: (row.participant_alt as string | null) ?? null,
    pushName: (row.push_name as string | null) ?? null,
    messageTimestamp: Number(row.message_timestamp),
    reason: (row.reason as string | null) ?? null,
  }))
}
