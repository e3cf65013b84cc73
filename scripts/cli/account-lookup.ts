import { UsageError } from './command'

export async function accountByEmail(email: string): Promise<{ userId: string }> {
  const { findUserByEmail } = await import('@/lib/services/accounts/users')
  const user = await findUserByEmail(email)
  if (!user) throw new UsageError(`No account with the email ${email}.`)
  return { userId: user.id }
}
