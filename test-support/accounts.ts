// Rows a test or a benchmark needs before it can talk to the API.
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'

/** A user with a verified email (unless `verified: false`) and, optionally, instances by name. */
export async function createVerifiedAccount(databaseUrl: string, options: { instances?: string[]; verified?: boolean; emailPrefix?: string } = {}) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  try {
    const email = `${options.emailPrefix ?? 'user'}-${randomBytes(4).toString('hex')}@example.com`
    const [user] = await sql`
      insert into users (email, password_hash, email_verified_at)
      values (${email}, 'not-a-real-hash', ${options.verified === false ? null : new Date()})
      returning id`
    for (const name of options.instances ?? []) await sql`insert into instances (user_id, name) values (${user.id}, ${name})`
    return { userId: user.id as string, email }
  } finally {
    await sql.end()
  }
}

/**
 * The dashboard's session cookie for a user, minted as Auth.js mints it at log-in (same secret,
 * same salt, same claims), for tests that exercise the account plane without a browser.
 */
export async function sessionCookie(databaseUrl: string, userId: string, authSecret: string): Promise<string> {
  const { encode } = await import('@auth/core/jwt')
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  try {
    const [user] = await sql`select session_version from users where id = ${userId}`
    const name = 'authjs.session-token'
    const token = await encode({ token: { sub: userId, sv: Number(user.session_version) }, secret: authSecret, salt: name })
    return `${name}=${token}`
  } finally {
    await sql.end()
  }
}
