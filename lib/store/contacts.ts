import 'server-only'
import type { InstanceIdentity } from '@/lib/events/types'
import { containsPattern, sqlClient, type Executor } from './sql'

/**
 * The `contacts` table: who an instance's WhatsApp account knows, one row per instance and JID.
 * `jid` is the phone-number JID whenever the number is known, else the LID (as `messages.remote_jid`).
 * A name or identity learnt later fills in or replaces the stored one; a missing one never erases it.
 * History syncs describe contacts (`upsertContacts`); each incoming message records its sender's push
 * name in the message's own transaction (`recordPushName`), writing only when it changed.
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

/**
 * A sender's push name as an incoming message carries it: found by either identity (a contact first
 * known by its LID is not doubled once its number is known), written only when new or changed, so
 * the usual message costs one index lookup and no write.
 */
export async function recordPushName(tx: Executor, instance: InstanceIdentity, sender: { jid: string; alt: string | null; pushName: string | null }): Promise<void> {
  if (!sender.pushName || !isUser(sender.jid)) return
  const ids = [sender.jid, sender.alt].filter((jid): jid is string => !!jid)
  const [known] = await tx`
    select jid, push_name from contacts where instance_id = ${instance.id} and (jid = any(${ids}) or lid = any(${ids}))
    order by (jid = ${sender.jid}) desc limit 1`
  if (known && known.push_name === sender.pushName) return
  if (known) {
    await tx`update contacts set push_name = ${sender.pushName}, updated_at = now() where instance_id = ${instance.id} and jid = ${known.jid}`
    return
  }
  const [pn, lid] = sender.jid.endsWith('@lid') ? [sender.alt, sender.jid] : [sender.jid, sender.alt]
  await tx`
    insert into contacts (instance_id, user_id, jid, lid, phone_number, push_name)
    values (${instance.id}, ${instance.userId}, ${sender.jid}, ${lid ?? null}, ${pn ? pn.split('@')[0].split(':')[0] : null}, ${sender.pushName})
    on conflict (instance_id, jid) do update set push_name = excluded.push_name, updated_at = now()
      where contacts.push_name is distinct from excluded.push_name`
}

const isUser = (jid: string) => jid.endsWith('@s.whatsapp.net') || jid.endsWith('@lid')

export type ContactFilter = {
  /** One contact, by its number JID or its LID. */
  jid?: string
  /** Part of a name (push, saved or verified), or digits of the number. */
  search?: string
  limit: number
  /** The JID the previous page ended with. */
  after?: string
}

/** A page of an instance's contacts, by JID. */
export async function pageContacts(instanceId: string, filter: ContactFilter): Promise<{ contacts: Contact[]; next: string | null }> {
  const sql = sqlClient()
  const pattern = filter.search === undefined ? null : containsPattern(filter.search)
  const digits = filter.search?.replace(/\D/g, '') ?? ''
  const rows = await sql`
    select jid, lid, phone_number, push_name, saved_name, verified_name, updated_at from contacts
    where instance_id = ${instanceId}
      ${filter.jid === undefined ? sql`` : sql`and (jid = ${filter.jid} or lid = ${filter.jid})`}
      ${pattern === null ? sql`` : sql`and (push_name ilike ${pattern} or saved_name ilike ${pattern} or verified_name ilike ${pattern}
        ${digits.length >= 3 ? sql`or phone_number like ${`%${digits}%`}` : sql``})`}
      ${filter.after === undefined ? sql`` : sql`and jid > ${filter.after}`}
    order by jid
    limit ${filter.limit + 1}`
  const contacts = rows.slice(0, filter.limit).map(toContact)
  return { contacts, next: rows.length > filter.limit ? (contacts.at(-1)?.jid ?? null) : null }
}

/** The names the instance knows for these JIDs (number JIDs or LIDs): saved, else push, else business name. */
export async function contactNames(instanceId: string, jids: string[]): Promise<Map<string, string>> {
  if (!jids.length) return new Map()
  const rows = await sqlClient()`
    select jid, lid, coalesce(saved_name, push_name, verified_name) as name from contacts
    where instance_id = ${instanceId} and (jid = any(${jids}) or lid = any(${jids})) and coalesce(saved_name, push_name, verified_name) is not null`
  const names = new Map<string, string>()
  for (const row of rows) {
    names.set(row.jid as string, row.name as string)
    if (row.lid) names.set(row.lid as string, row.name as string)
  }
  return names
}

/** How many records of this table the account's export will hold (its progress bar's total). */
export async function countContactsForExport(userId: string): Promise<number> {
  const [row] = await sqlClient()`select count(*)::int as n from contacts where user_id = ${userId}`
  return row.n as number
}
