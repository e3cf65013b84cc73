// Once per `npm test`: a Postgres server (DATABASE_URL, else an embedded one), a migrated template
// database every test file clones, and a fresh production build for the browser tests.
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import type { TestProject } from 'vitest/node'
import { startEmbeddedPostgres } from '@/lib/runtime/embedded-postgres'
import { dataDir } from '@/lib/runtime/paths'
import { buildWebIfNeeded } from '@/lib/runtime/build'

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string
    templateDatabase: string
  }
}

export default async function setup(project: TestProject) {
  let adminUrl = process.env.DATABASE_URL
  let stopEmbedded = async () => {}
  if (!adminUrl) {
    const embedded = await startEmbeddedPostgres({ databaseDir: path.join(dataDir, 'test-pg'), reuseRunning: false })
    adminUrl = embedded.url('postgres')
    stopEmbedded = embedded.stop
  }

  const templateDatabase = `sage_template_${randomBytes(4).toString('hex')}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${templateDatabase}"`)
  const templateUrl = withDatabase(adminUrl, templateDatabase)
  process.env.LOG_LEVEL = 'warn'
  const { migrateDatabase } = await import('@/lib/db/migrate')
  await migrateDatabase(templateUrl)

  if (process.env.SAGE_TEST_SKIP_BUILD !== '1') buildWebIfNeeded((line) => console.log(line))

  project.provide('adminDatabaseUrl', adminUrl)
  project.provide('templateDatabase', templateDatabase)

  return async () => {
    await admin.unsafe(`drop database if exists "${templateDatabase}" with (force)`)
    await admin.end({ timeout: 5 })
    await stopEmbedded()
  }
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}
