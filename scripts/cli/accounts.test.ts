// `sage user:create` and `sage instance:*` run as a user would (node bin/sage.mjs), against a test database.
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'
import { runCli } from '@/test-support/cli'
import { testEnvironment } from '@/test-support/stack'

const database = await useTestDatabase()
const env = testEnvironment(database.url, { LOG_LEVEL: 'warn' })
const sage = (...args: string[]) => runCli(env, ...args)

/** Non-zero exit and exactly one line on stderr, which is returned. */
function fails(result: ReturnType<typeof sage>): string {
  expect(result.status, result.stdout + result.stderr).not.toBe(0)
  const lines = result.stderr.trim().split('\n')
  expect(lines, result.stderr).toHaveLength(1)
  return lines[0]
}

function succeeds(result: ReturnType<typeof sage>): string[] {
  expect(result.status, result.stderr).toBe(0)
  expect(result.stderr).toBe('')
  return result.stdout.trim() === '' ? [] : result.stdout.trim().split('\n')
}

describe('sage user:create', { timeout: 120_000 }, () => {
  it('creates an unverified account, and a verified one with --verified', () => {
    expect(succeeds(sage('user:create', '--email', 'Cli@Example.com', '--password', 'cli passphrase one'))).toEqual([
      'Created cli@example.com (not verified: log in and use the emailed link).',
    ])
    expect(succeeds(sage('user:create', '--email', 'ops@example.com', '--password', 'cli passphrase two', '--verified'))).toEqual([
      'Created ops@example.com (verified).',
    ])
  })

  it('refuses a duplicate email, an invalid email and a weak password with one clear line', () => {
    expect(fails(sage('user:create', '--email', 'CLI@example.com', '--password', 'cli passphrase one'))).toBe(
      'sage: email_taken: email: An account with this email already exists. Log in instead?',
    )
    expect(fails(sage('user:create', '--email', 'nope', '--password', 'short'))).toBe(
      'sage: invalid_request: email: Enter a valid email address, like you@example.com.; password: Use at least 10 characters.',
    )
  })

  it('explains missing or unknown options with the usage', () => {
    const missing = sage('user:create', '--email', 'x@example.com')
    expect(missing.status).toBe(2)
    expect(fails(missing)).toBe('sage: --password is required. Usage: sage user:create --email E --password P [--verified]')
    expect(fails(sage('user:create', '--email', 'x@example.com', '--password', 'cli passphrase', '--admin'))).toMatch(/^sage: Unknown option '--admin'/)
  })
})

describe('sage instance:create | list | delete', { timeout: 120_000 }, () => {
  it('creates, lists (name, state, created) and deletes instances of a verified account', () => {
    expect(succeeds(sage('instance:create', '--email', 'ops@example.com', '--name', 'ops-main'))).toEqual(['Created instance ops-main (close).'])
    succeeds(sage('instance:create', '--email', 'ops@example.com', '--name', 'ops-backup'))
    const rows = succeeds(sage('instance:list', '--email', 'OPS@example.com')).map((line) => line.split('\t'))
    expect(rows.map(([name, state]) => [name, state])).toEqual([
      ['ops-main', 'close'],
      ['ops-backup', 'close'],
    ])
    expect(Date.parse(rows[0][2])).toBeGreaterThan(Date.now() - 120_000)

    expect(succeeds(sage('instance:delete', '--email', 'ops@example.com', '--name', 'ops-backup'))).toEqual(['Deleted instance ops-backup.'])
    expect(succeeds(sage('instance:list', '--email', 'ops@example.com'))).toHaveLength(1)
    expect(fails(sage('instance:delete', '--email', 'ops@example.com', '--name', 'ops-backup'))).toBe(
      'sage: instance_not_found: No instance named "ops-backup" in this account.',
    )
  })

  it('applies the same rules as the dashboard: verification, name format, uniqueness, known account', () => {
    expect(fails(sage('instance:create', '--email', 'cli@example.com', '--name', 'early-one'))).toBe(
      'sage: email_not_verified: Verify your email address first.',
    )
    expect(fails(sage('instance:create', '--email', 'ops@example.com', '--name', 'Bad_Name'))).toBe(
      'sage: invalid_request: name: Use only lowercase letters, digits and dashes.',
    )
    expect(fails(sage('instance:create', '--email', 'ops@example.com', '--name', 'ops-main'))).toBe(
      'sage: name_taken: name: You already have an instance named "ops-main".',
    )
    expect(fails(sage('instance:list', '--email', 'ghost@example.com'))).toBe('sage: not_found: No account with the email ghost@example.com.')
    expect(succeeds(sage('instance:list', '--email', 'cli@example.com'))).toEqual([])
  })
})
