import 'server-only'
import { createHash } from 'node:crypto'
import { sqlClient } from '@/lib/db'
import { LogInInput } from '@/lib/api/schemas/accounts'
import { burnPasswordCheck, verifyPassword } from '@/lib/auth/password'
import { findUserByEmail, type User } from './users'

/** Failures counted per bucket within this window; a bucket over its budget is refused for a while. */
const WINDOW_MINUTES = 15
const FIRST_BLOCK_SECONDS = 30
const LONGEST_BLOCK_SECONDS = 15 * 60

/**
 * Three budgets: one address guessing one account, one address guessing many accounts, and many
 * addresses guessing one account (which also covers an address we could not determine).
 */
function buckets(email: string, ip: string | undefined): { bucket: string; budget: number }[] {
  const hash = (value: string) => createHash('sha256').update(value).digest('hex')
  const list = [{ bucket: hash(`email:${email}`), budget: 20 }]
  if (ip) list.push({ bucket: hash(`ip-email:${ip}:${email}`), budget: 5 }, { bucket: hash(`ip:${ip}`), budget: 30 })
  return list
}

export type LogInResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'invalid_credentials' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }

/** Seconds until every bucket of this attempt is allowed again, or 0. */
async function blockedFor(list: { bucket: string }[]): Promise<number> {
  const [row] = await sqlClient()`
    select ceil(extract(epoch from max(blocked_until) - now()))::int as seconds
    from login_throttles
    where bucket = any(${list.map((b) => b.bucket)}::text[]) and blocked_until > now()`
  return Number(row?.seconds ?? 0)
}

/** Counts a failure in every bucket; each failure past a bucket's budget doubles its block (30 s … 15 min). */
async function recordFailure(list: { bucket: string; budget: number }[]): Promise<void> {
  const sql = sqlClient()
  await sql.begin(async (tx) => {
    const counted = await tx<{ bucket: string; failures: number }[]>`
      insert into login_throttles as t (bucket, failures, window_started_at)
      select unnest(${list.map((b) => b.bucket)}::text[]), 1, now()
      on conflict (bucket) do update set
        failures = case when t.window_started_at < now() - make_interval(mins => ${WINDOW_MINUTES}) then 1 else t.failures + 1 end,
        window_started_at = case when t.window_started_at < now() - make_interval(mins => ${WINDOW_MINUTES}) then now() else t.window_started_at end
      returning t.bucket, t.failures`
    for (const { bucket, failures } of counted) {
      const budget = list.find((b) => b.bucket === bucket)!.budget
      if (failures < budget) continue
      const seconds = Math.min(FIRST_BLOCK_SECONDS * 2 ** (failures - budget), LONGEST_BLOCK_SECONDS)
      await tx`update login_throttles set blocked_until = now() + make_interval(secs => ${seconds}) where bucket = ${bucket}`
    }
  })
}

/**
 * Checks an email and password. A wrong password and an unknown email give the same answer in the
 * same time; repeated failures are refused for a growing while before any password is checked.
 */
export async function logIn(input: { email: unknown; password: unknown; ip: string | undefined }): Promise<LogInResult> {
  const parsed = LogInInput.safeParse({ email: input.email, password: input.password })
  if (!parsed.success) return { ok: false, reason: 'invalid_credentials' }
  const { email, password } = parsed.data
  const list = buckets(email, input.ip)
  const retryAfterSeconds = await blockedFor(list)
  if (retryAfterSeconds > 0) return { ok: false, reason: 'throttled', retryAfterSeconds }

  const user = await findUserByEmail(email)
  const valid = user ? await verifyPassword(password, user.passwordHash) : await burnPasswordCheck(password)
  if (!user || !valid) {
    await recordFailure(list)
    return { ok: false, reason: 'invalid_credentials' }
  }
  if (input.ip) {
    const ipEmail = list.find((b) => b.budget === 5)!.bucket
    await sqlClient()`delete from login_throttles where bucket = ${ipEmail}`
  }
  return { ok: true, user }
}
