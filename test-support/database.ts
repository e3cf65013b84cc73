// A fresh, migrated database for a test run or a benchmark, on DATABASE_URL's server or an embedded one.
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { startEmbeddedPostgres } from '@/lib/runtime/embedded-postgres'
import { dataDir } from '@/lib/runtime/paths'

export type MigratedDatabase = {
  /** The server's `postgres` database, to create and drop others. */
  adminUrl: string
  url: string
  name: string
  /** Drops the database and stops the embedded server if this started one. */
  drop: () => Promise<void>
}

/** `url` with its database replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

/**
 * Creates `<namePrefix>_<random>` and applies the migrations. The server is DATABASE_URL's if set,
 * otherwise an embedded Postgres under .data/<embeddedDir> (its own, never the one `npm start` uses).
 */
export async function createMigratedDatabase(options: { namePrefix: string; embeddedDir: string }): Promise<MigratedDatabase> {
  let adminUrl = process.env.DATABASE_URL
  let stopServer = async () => {}
  if (!adminUrl) {
    const embedded = await startEmbeddedPostgres({ databaseDir: path.join(dataDir, options.embeddedDir), reuseRunning: false })
    adminUrl = embedded.url('postgres')
    stopServer = embedded.stop
  }
  const name = `${options.namePrefix}_${randomBytes(5).toString('hex')}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${name}"`)
  const url = withDatabase(adminUrl, name)
  const { migrateDatabase } = await import('@/lib/db/migrate')
  await migrateDatabase(url)
  return {
    adminUrl,
    url,
    name,
    drop: async () => {
      try {
        await admin.unsafe(`drop database if exists "${name}" with (force)`)
      } finally {
        await admin.end({ timeout: 5 })
        await stopServer()
      }
    },
  }
}
