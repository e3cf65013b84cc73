import 'server-only'
import path from 'node:path'
import postgres from 'postgres'
import { drizzle } from 'drizzle-orm/postgres-js'
import { migrate } from 'drizzle-orm/postgres-js/migrator'
import { Logger, runMigrations as installJobQueue } from 'graphile-worker'
import { projectRoot } from '@/lib/runtime/paths'

const MIGRATION_LOCK = 727_001 // any constant shared by every process that migrates

/**
 * Applies the committed SQL in drizzle/. Several web processes and workers may start at once, so
 * the whole run holds an advisory lock: the first applies, the others wait and find nothing to do.
 * It also installs graphile-worker's schema (the webhook delivery queue), so the web tier can
 * enqueue jobs (`graphile_worker.add_job`) before any worker has started.
 */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const client = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`
    await migrate(drizzle(client), { migrationsFolder: path.join(projectRoot, 'drizzle') })
    await installJobQueue({ connectionString: databaseUrl, logger: new Logger(() => () => {}) })
    await client`select pg_advisory_unlock(${MIGRATION_LOCK})`
  } finally {
    await client.end({ timeout: 5 })
  }
}
