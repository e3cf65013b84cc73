// Each test file gets its own database, cloned from the migrated template, so files run in parallel.
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, inject } from 'vitest'
import { withDatabase } from '@/test-support/database'

export type TestDatabase = { url: string; name: string }

/**
 * Creates the file's database and points DATABASE_URL at it, so lib/db (and any web or worker
 * process the file starts) uses it. Call at the top level of a test file, before importing lib/db.
 */
export async function useTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl')
  const template = inject('templateDatabase')
  const name = `sage_test_${randomBytes(6).toString('hex')}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${name}" template "${template}"`)
  const url = withDatabase(adminUrl, name)
  process.env.DATABASE_URL = url
  afterAll(async () => {
    const { closeDatabase } = await import('@/lib/db')
    await closeDatabase()
    await admin.unsafe(`drop database if exists "${name}" with (force)`)
    await admin.end({ timeout: 5 })
  })
  return { url, name }
}
