import 'server-only'
import * as accounts from '@/lib/store/accounts'
import { ApiError } from '@/lib/api/errors'
import { SignUpInput } from '@/lib/api/schemas/accounts'
import { parseWith } from '@/lib/api/validation'
import { hashPassword } from '@/lib/auth/password'

export type User = accounts.User

/** What every account-plane service receives: who is acting. Built from the session or, in the CLI, from --email. */
export type AccountContext = { userId: string; email: string; emailVerified: boolean }

export function accountContext(user: User): AccountContext {
  return { userId: user.id, email: user.email, emailVerified: user.emailVerifiedAt !== null }
}

/** Instances and keys are refused until the email is verified. */
export function requireVerifiedEmail(ctx: AccountContext): void {
  if (!ctx.emailVerified) throw new ApiError('email_not_verified')
}

export async function findUserByEmail(email: string): Promise<User | undefined> {
  return accounts.findUserByEmail(email)
}

export async function findUserById(id: string): Promise<User | undefined> {
  return accounts.findUserById(id)
}

/** CLI lookups by --email: a missing account is a clear error, not a crash. */
export async function requireUserByEmail(email: string): Promise<User> {
  const user = await findUserByEmail(email)
  if (!user) throw new ApiError('not_found', `No account with the email ${email.trim().toLowerCase()}.`)
  return user
}

function isUniqueViolation(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } })?.cause ?? error
  return (cause as { code?: string })?.code === '23505'
}

/**
 * Creates an account after validating email and password (400 invalid_request with details) and
 * refusing a duplicate email (409 email_taken, enforced by the unique index on lower(email)).
 */
export async function createUser(input: { email: string; password: string; verified?: boolean }): Promise<User> {
  const { email, password } = parseWith(SignUpInput, { email: input.email, password: input.password }, 'body')
  const passwordHash = await hashPassword(password)
  try {
    return await accounts.insertUser({ email, passwordHash, verified: Boolean(input.verified) })
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ApiError('email_taken', undefined, [{ field: 'email', message: 'An account with this email already exists. Log in instead?' }])
    }
    throw error
  }
}
