import 'server-only'
import postgres from 'postgres'
import { config } from '@/lib/config'
import * as schema from './schema'
import { storableTypes } from './storable'

/**
 * One postgres.js pool per process (plus the connection postgres.js keeps for LISTEN). Every
 * statement is raw SQL in lib/store and the few modules that own a table; drizzle only declares
 * the schema for drizzle-kit, so it never rewires this client's parsers.
 */
function createClient(max?: number) {
  const settings = config()
  return postgres(settings.DATABASE_URL, {
    max: max ?? settings.DATABASE_POOL_SIZE,
    onnotice: () => {},
    connection: { application_name: settings.SAGE_SERVICE },
    types: storableTypes,
  })
}

type Client = ReturnType<typeof createClient>

// Cached on globalThis so the dev server's hot reloads do not open a new pool each time.
const globalCache = globalThis as unknown as { __sageDatabase?: Client; __sageLeaseDatabase?: Client }

/** The process's postgres.js client (queries, transactions, LISTEN/NOTIFY). */
export function sqlClient(): Client {
  globalCache.__sageDatabase ??= createClient()
  return globalCache.__sageDatabase
}

/**
 * A worker's one connection for renewing its lease (lib/store/instances.ts renewLease): never queued
 * behind the pool's work, so a busy worker (pairing, a takeover) does not lapse for want of a connection.
 */
export function leaseSqlClient(): Client {
  globalCache.__sageLeaseDatabase ??= createClient(1)
  return globalCache.__sageLeaseDatabase
}

export async function closeDatabase(): Promise<void> {
  const cached = [globalCache.__sageDatabase, globalCache.__sageLeaseDatabase]
  globalCache.__sageDatabase = undefined
  globalCache.__sageLeaseDatabase = undefined
  await Promise.all(cached.map((client) => client?.end({ timeout: 5 })))
}

export { schema }
