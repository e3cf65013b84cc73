import 'server-only'
import { sqlClient, type Executor } from './sql'

/**
 * The `users` and `email_tokens` tables. Emails are stored lower-case and unique (an index on
 * lower(email)); `session_version` only grows (a password reset bumps it, ending older sessions);
 * an email token is single-use: `used_at` is set once, by one conditional UPDATE, so two clicks
 * racing each other cannot both succeed. Only a token's SHA-256 is stored.
 */
export type User = {
  id: string
  email: string
  passwordHash: string
  emailVerifiedAt: Date | null
  sessionVersion: number
  createdAt: Date
}

export type EmailTokenPurpose = 'verify_email' | 'reset_password'

export type StoredToken = { userId: string; usedAt: Date | null; expiresAt: Date }

function toUser(row: Record<string, unknown>): User {
  return {
    id: row.id as string,
    email: row.email as string,
    passwordHash: row.password_hash as string,
    emailVerifiedAt: row.email_verified_at ? new Date(row.email_verified_at as string) : null,
    sessionVersion: Number(row.session_version),
    createdAt: new Date(row.created_at as string),
  }
}

const USER_COLUMNS = 'id, email, password_hash, email_verified_at, session_version, created_at'

export async function findUserByEmail(email: string): Promise<User | undefined> {
  const sql = sqlClient()
  const [row] = await sql`select ${sql.unsafe(USER_COLUMNS)} from users where email = ${email.trim().toLowerCase()}`
  return row ? toUser(row) : undefined
}

export async function findUserById(id: string): Promise<User | undefined> {
  const sql = sqlClient()
  const [row] = await sql`select ${sql.unsafe(USER_COLUMNS)} from users where id = ${id}`
  return row ? toUser(row) : undefined
}

/** Inserts an account; a duplicate email fails with Postgres' unique violation (23505). */
export async function insertUser(user: { email: string; passwordHash: string; verified: boolean }): Promise<User> {
  const sql = sqlClient()
  const [row] = await sql`
    insert into users (email, password_hash, email_verified_at) values (${user.email}, ${user.passwordHash}, ${user.verified ? sql`now()` : null})
    returning ${sql.unsafe(USER_COLUMNS)}`
  return toUser(row)
}

/** Marks the email verified (keeping the first time); returns the address. */
export async function markEmailVerified(tx: Executor, userId: string): Promise<string> {
  const [row] = await tx`update users set email_verified_at = coalesce(email_verified_at, now()) where id = ${userId} returning email`
  return row.email
}

/** A new password ends every session minted before it; the reset also proves the mailbox, so it verifies the email. */
export async function replacePassword(tx: Executor, userId: string, passwordHash: string): Promise<string> {
  const [row] = await tx`
    update users set password_hash = ${passwordHash}, session_version = session_version + 1, email_verified_at = coalesce(email_verified_at, now())
    where id = ${userId} returning email`
  return row.email
}

export async function insertEmailToken(tx: Executor, token: { userId: string; purpose: EmailTokenPurpose; tokenHash: string; expiresAt: Date }): Promise<void> {
  await tx`insert into email_tokens (user_id, purpose, token_hash, expires_at) values (${token.userId}, ${token.purpose}, ${token.tokenHash}, ${token.expiresAt})`
}

export async function findEmailToken(tx: Executor, purpose: EmailTokenPurpose, tokenHash: string): Promise<StoredToken | undefined> {
  const [row] = await tx`select user_id, used_at, expires_at from email_tokens where token_hash = ${tokenHash} and purpose = ${purpose}`
  return row ? { userId: row.user_id, usedAt: row.used_at ? new Date(row.used_at) : null, expiresAt: new Date(row.expires_at) } : undefined
}

/** Uses a live token in one conditional UPDATE; the account it belongs to, or undefined when it was not usable. */
export async function useEmailToken(tx: Executor, purpose: EmailTokenPurpose, tokenHash: string): Promise<string | undefined> {
  const [row] = await tx`
    update email_tokens set used_at = now()
    where token_hash = ${tokenHash} and purpose = ${purpose} and used_at is null and expires_at > now()
    returning user_id`
  return row?.user_id
}

/** Retires the account's other outstanding tokens of that kind. */
export async function retireEmailTokens(tx: Executor, userId: string, purpose: EmailTokenPurpose): Promise<void> {
  await tx`update email_tokens set used_at = now() where user_id = ${userId} and purpose = ${purpose} and used_at is null`
}

/** When the account's latest token of that kind was issued. */
export async function latestTokenIssuedAt(userId: string, purpose: EmailTokenPurpose): Promise<Date | undefined> {
  const [row] = await sqlClient()`
    select created_at from email_tokens where user_id = ${userId} and purpose = ${purpose} order by created_at desc limit 1`
  return row ? new Date(row.created_at) : undefined
}

/** Runs `work` in one transaction. */
export function inTransaction<T>(work: (tx: Executor) => Promise<T>): Promise<T> {
  return sqlClient().begin((tx) => work(tx)) as Promise<T>
}

/** Retention: deletes one batch of email links used or expired more than `days` ago (they can never be used again). */
export async function pruneEmailTokensBatch(days: number, batch: number): Promise<number> {
  const rows = await sqlClient()`
    delete from email_tokens where id in (
      select id from email_tokens
      where coalesce(used_at, expires_at) < now() - make_interval(days => ${days}) and (used_at is not null or expires_at < now())
      limit ${batch} for update skip locked)
    returning 1`
  return rows.length
}

/**
 * Deletes the account's row; every table that belongs to an account goes with it (foreign keys with
 * ON DELETE CASCADE from users, and from instances for the per-instance tables). Sessions die with
 * it: a session is read against this row on every request (lib/auth/session.ts).
 */
export async function deleteUser(userId: string): Promise<boolean> {
  const rows = await sqlClient()`delete from users where id = ${userId} returning id`
  return rows.length > 0
}
