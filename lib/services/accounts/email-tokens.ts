import 'server-only'
import { createHash, randomBytes } from 'node:crypto'
import { and, desc, eq, isNull, gt, sql } from 'drizzle-orm'
import { db, type Db, type Tx } from '@/lib/db'
import { emailTokens } from '@/lib/db/schema'

export type EmailTokenPurpose = 'verify_email' | 'reset_password'

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
export async function issueEmailToken(executor: Db | Tx, userId: string, purpose: EmailTokenPurpose): Promise<string> {
  const token = randomBytes(32).toString('base64url')
  await executor.insert(emailTokens).values({
    userId,
    purpose,
    tokenHash: hashToken(token),
    expiresAt: new Date(Date.now() + TOKEN_LIFETIME_MS[purpose]),
  })
  return token
}

/** Whether the account was sent a link of this kind within the last `ms` (the resend and reset buttons are easy to hammer). */
export async function linkSentWithin(userId: string, purpose: EmailTokenPurpose, ms: number): Promise<boolean> {
  const [latest] = await db
    .select({ createdAt: emailTokens.createdAt })
    .from(emailTokens)
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose)))
    .orderBy(desc(emailTokens.createdAt))
    .limit(1)
  return latest !== undefined && Date.now() - latest.createdAt.getTime() < ms
}

/** Looks a token up without using it (the reset page checks the link before showing its form). */
export async function checkEmailToken(purpose: EmailTokenPurpose, token: string): Promise<TokenCheck> {
  const [row] = await db
    .select({ userId: emailTokens.userId, usedAt: emailTokens.usedAt, expiresAt: emailTokens.expiresAt })
    .from(emailTokens)
    .where(and(eq(emailTokens.tokenHash, hashToken(token)), eq(emailTokens.purpose, purpose)))
  if (!row) return { ok: false, problem: 'invalid' }
  if (row.usedAt) return { ok: false, problem: 'used', userId: row.userId }
  if (row.expiresAt.getTime() <= Date.now()) return { ok: false, problem: 'expired', userId: row.userId }
  return { ok: true, userId: row.userId }
}

/**
 * Marks the token used in one conditional UPDATE, so two clicks racing each other cannot both
 * succeed; on failure says why.
 */
export async function consumeEmailToken(tx: Tx, purpose: EmailTokenPurpose, token: string): Promise<TokenCheck> {
  const [used] = await tx
    .update(emailTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(emailTokens.tokenHash, hashToken(token)),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, sql`now()`),
      ),
    )
    .returning({ userId: emailTokens.userId })
  if (used) return { ok: true, userId: used.userId }
  return checkEmailToken(purpose, token)
}

/** After a successful use, the user's other outstanding links of that kind stop working too. */
export async function retireEmailTokens(tx: Tx, userId: string, purpose: EmailTokenPurpose): Promise<void> {
  await tx
    .update(emailTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)))
}
