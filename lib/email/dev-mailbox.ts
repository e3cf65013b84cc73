import 'server-only'
import { desc } from 'drizzle-orm'
import { db } from '@/lib/db'
import { devMailbox } from '@/lib/db/schema'

export type DevEmail = typeof devMailbox.$inferSelect

/** The newest emails kept while no RESEND_API_KEY is set (every recipient: this is a local tool). */
export async function listDevMailbox(limit = 50): Promise<DevEmail[]> {
  return db.select().from(devMailbox).orderBy(desc(devMailbox.createdAt)).limit(limit)
}
