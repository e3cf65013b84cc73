import { UsageError } from './command'

export async function accountByEmail(email: string): Promise<{ userId: string }> {
  const { db, schema } = await import('@/lib/db')
  const { eq } = await import('drizzle-orm')
  const [user] = await db.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.email, email.trim().toLowerCase()))
  if (!user) throw new UsageError(`No account with the email ${email}.`)
  return { userId: user.id }
}
