import 'server-only'
import { createHash, randomBytes } from 'node:crypto'
import { sqlClient, type Executor } from '@/lib/store/sql'
import * as accounts from '@/lib/store/accounts'

export type EmailTokenPurpose = accounts.EmailTokenPurpose

export const TOKEN_LIFETIME_MS: Record<EmailTokenPurpose, number> = {
  verify_email: 24 * 60 * 60 * 1000,
  reset_password: 60 * 60 * 1000,
}

/** Why a link did not work; each has its own message page. */
export type TokenProblem = 'invalid' | 'expired' | 'used'

export type TokenCheck = { ok: true; userId: string } | { ok: false; problem: TokenProblem; userId?: string }

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Issues a new single-use token; only its SHA-256 is stored, the plaintext goes into the emailed link. */
export async function issueEmailToken(userId: string, purpose: EmailTokenPurpose): Promise<string> {
  const token = randomBytes(32).toString('base64url')
  await accounts.insertEmailToken(sqlClient(), { userId, purpose, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + TOKEN_LIFETIME_MS[purpose]) })
  return token
}

/** Whether the account was sent a link of this kind within the last `ms` (the resend and reset buttons are easy to hammer). */
export async function linkSentWithin(userId: string, purpose: EmailTokenPurpose, ms: number): Promise<boolean> {
  const latest = await accounts.latestTokenIssuedAt(userId, purpose)
  return latest !== undefined && Date.now() - latest.getTime() < ms
}

/** Looks a token up without using it (the reset page checks the link before showing its form). */
export async function checkEmailToken(purpose: EmailTokenPurpose, token: string, tx: Executor = sqlClient()): Promise<TokenCheck> {
  const row = await accounts.findEmailToken(tx, purpose, hashToken(token))
  if (!row) return { ok: false, problem: 'invalid' }
  if (row.usedAt) return { ok: false, problem: 'used', userId: row.userId }
  if (row.expiresAt.getTime() <= Date.now()) return { ok: false, problem: 'expired', userId: row.userId }
  return { ok: true, userId: row.userId }
}

/**
 * Uses the token (single-use even against two racing clicks, see lib/store/accounts.ts); on
 * failure says why.
 */
export async function consumeEmailToken(tx: Executor, purpose: EmailTokenPurpose, token: string): Promise<TokenCheck> {
  const userId = await accounts.useEmailToken(tx, purpose, hashToken(token))
  if (userId) return { ok: true, userId }
  return checkEmailToken(purpose, token, tx)
}
