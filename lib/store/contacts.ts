import 'server-only'
import type { InstanceIdentity } from '@/lib/events/types'
import { sqlClient, type Executor } from './sql'

/**
 * The `contacts` table: who an instance's WhatsApp account knows, one row per instance and JID.
 * `jid` is the phone-number JID whenever the number is known, else the LID (as `messages.remote_jid`).
 * A name or identity learnt later fills in or replaces the stored one; a missing one never erases it.
 */
export type Contact = {
  jid: string
  lid: string | null
  phoneNumber: string | null
  pushName: string | null
  savedName: string | null
  verifiedName: string | null
  updatedAt: Date
}

export type ContactChange = Omit<Contact, 'updatedAt'>

function toContact(row: Record<string, unknown>): Contact {
  return {
    jid: row.jid as string,
    lid: (row.lid as string | null) ?? null,
    phoneNumber: (row.phone_number as string | null) ?? null,
    pushName: (row.push_name as string | null) ?? null,
    savedName: (row.saved_name as string | null) ?? null,
    verifiedName: (row.verified_name as string | null) ?? null,
    updatedAt: new Date(row.updated_at as string),
  }
}

/** Several changes to one JID in a batch become one (later values win), as one statement may touch a row once. */
function mergeByJid(changes: ContactChange[]): ContactChange[] {
  const merged = new Map<string, ContactChange>()
  for (const change of changes) {
    const before = merged.get(change.jid)
    merged.set(change.jid, before ? { ...before, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== null)) } : change)
  }
  return [...merged.values()]
}

/** Inserts or updates contacts; returns those that are new or changed (nothing for a batch seen before). */
export async function upsertContacts(tx: Executor, instance: InstanceIdentity, changes: ContactChange[]): Promise<Contact[]> {
  const rows = mergeByJid(changes).map((c) => ({
    instance_id: instance.id,
    user_id: instance.userId,
    jid: c.jid,
    lid: c.lid,
    phone_number: c.phoneNumber,
    push_name: c.pushName,
    saved_name: c.savedName,
    verified_name: c.verifiedName,
  }))
  if (!rows.length) return []
  const updated = []
  // At most 65,535 parameters per statement: a large history set is written in slices.
  for (let start = 0; start < rows.length; start += 1000) {
    updated.push(...(await tx`
        insert into contacts ${tx(rows.slice(start, start + 1000))}
        on conflict (instance_id, jid) do update set
          lid = coalesce(excluded.lid, contacts.lid),
          phone_number = coalesce(excluded.phone_number, contacts.phone_number),
          push_name = coalesce(excluded.push_name, contacts.push_name),
          saved_name = coalesce(excluded.saved_name, contacts.saved_name),
          verified_name = coalesce(excluded.verified_name, contacts.verified_name),
          updated_at = now()
        where (contacts.lid, contacts.phone_number, contacts.push_name, contacts.saved_name, contacts.verified_name)
          is distinct from (coalesce(excluded.lid, contacts.lid), coalesce(excluded.phone_number, contacts.phone_number),
                            coalesce(excluded.push_name, contacts.push_name), coalesce(excluded.saved_name, contacts.saved_name),
                            coalesce(excluded.verified_name, contacts.verified_name))
        returning jid, lid, phone_number, push_name, saved_name, verified_name, updated_at`))
  }
  return updated.map(toContact)
}

/** An instance's contacts by JID. */
export async function listContacts(instanceId: string): Promise<Contact[]> {
  const rows = await sqlClient()`
    select jid, lid, phone_number, push_name, saved_name, verified_name, updated_at from contacts
    where instance_id = ${instanceId} order by jid`
  return rows.map(toContact)
}

/** The account's contacts for its export, a page at a time (a cursor: a big account is never held in memory). */
export async function* contactsForExport(userId: string): AsyncGenerator<Record<string, unknown>[]> {
  yield* sqlClient()`
    select instances.name as instance, contacts.jid, contacts.lid, contacts.phone_number, contacts.push_name, contacts.saved_name,
      contacts.verified_name, contacts.created_at, contacts.updated_at
    from contacts join instances on instances.id = contacts.instance_id
    where contacts.user_id = ${userId} and instances.user_id = ${userId}
    order by instances.name, contacts.jid`.cursor(500)
}
