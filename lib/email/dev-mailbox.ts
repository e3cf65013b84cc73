import 'server-only'
import { sqlClient } from '@/lib/db'
import { config } from '@/lib/config'

export type DevEmail = { id: string; to: string; subject: string; text: string; html: string; createdAt: Date }

/** Keeps an email that had no provider to go to (no RESEND_API_KEY): the dev mailbox page shows it. */
export async function keepInDevMailbox(email: { to: string; subject: string; text: string; html: string }): Promise<void> {
  await sqlClient()`insert into dev_mailbox ("to", subject, text, html) values (${email.to}, ${email.subject}, ${email.text}, ${email.html})`
}

/** The newest emails kept while no RESEND_API_KEY is set (every recipient: this is a local tool). */
export async function listDevMailbox(limit = 50): Promise<DevEmail[]> {
  const rows = await sqlClient()`select id, "to", subject, text, html, created_at from dev_mailbox order by created_at desc limit ${limit}`
  return rows.map((row) => ({ id: row.id, to: row.to, subject: row.subject, text: row.text, html: row.html, createdAt: new Date(row.created_at) }))
}

/** Whether emails land in /dev/mailbox instead of being sent (outside production, without RESEND_API_KEY): pages then point there. */
export function devMailboxInUse(): boolean {
  const settings = config()
  return !settings.RESEND_API_KEY && !settings.isProduction
}
