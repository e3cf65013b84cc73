import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { migrateDatabase } from './migrate'
import { withDatabase } from '@/test-support/database'

describe('migrations', () => {
  const admin = postgres(inject('adminDatabaseUrl'), { max: 1, onnotice: () => {} })
  const name = `sage_empty_${randomBytes(4).toString('hex')}`
  afterAll(async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`)
    await admin.end()
  })

  it('apply to an empty database, concurrently from several processes, exactly once', async () => {
    await admin.unsafe(`create database "${name}"`)
    const url = withDatabase(inject('adminDatabaseUrl'), name)
    await Promise.all([migrateDatabase(url), migrateDatabase(url), migrateDatabase(url)])

    const db = postgres(url, { max: 1, onnotice: () => {} })
    try {
      const tables = await db`select table_name from information_schema.tables where table_schema = 'public' order by 1`
      expect(tables.map((row) => row.table_name)).toEqual(
        expect.arrayContaining(['workers', 'users', 'instances', 'api_keys', 'email_tokens', 'dev_mailbox']),
      )
      const applied = await db`select count(*)::int as count from drizzle.__drizzle_migrations`
      const journal = (await import('@/drizzle/meta/_journal.json', { with: { type: 'json' } })).default
      expect(applied[0].count).toBe(journal.entries.length)
      // The database itself refuses an instance name the API would refuse.
      await db`insert into users (email, password_hash) values ('a@example.com', 'x')`
      await expect(db`insert into instances (user_id, name) select id, 'Bad Name' from users`).rejects.toThrow(/instances_name_format/)
    } finally {
      await db.end()
    }
  })
})
