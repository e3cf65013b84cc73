import 'server-only'
import postgres from 'postgres'
import { drizzle } from 'drizzle-orm/postgres-js'
import { config } from '@/lib/config'
import * as schema from './schema'

type Database = ReturnType<typeof createDatabase>

function createDatabase() {
  const settings = config()
  const url = settings.DATABASE_URL
  const options = {
    max: settings.DATABASE_POOL_SIZE,
    onnotice: () => {},
    connection: { application_name: settings.SAGE_SERVICE },
  }
  // drizzle() rewires its client's parsers and serializers (dates and json pass through untouched),
  // which breaks sql.json() and date parsing in hand-written SQL: each gets its own pool.
  const client = postgres(url, options)
  const drizzleClient = postgres(url, { ...options, max: Math.max(2, Math.ceil(options.max / 2)) })
  return { client, drizzleClient, db: drizzle(drizzleClient, { schema }) }
}

// Cached on globalThis so the dev server's hot reloads do not open a new pool each time.
const globalCache = globalThis as unknown as { __sageDatabase?: Database }

function database(): Database {
  globalCache.__sageDatabase ??= createDatabase()
  return globalCache.__sageDatabase
}

/** The drizzle instance; every customer-data query must filter by account in the query itself. */
export const db = new Proxy({} as Database['db'], {
  get: (_target, property) => Reflect.get(database().db, property, database().db),
})

/** The raw postgres.js client (for LISTEN/NOTIFY and hand-written SQL). */
export function sqlClient(): Database['client'] {
  return database().client
}

export async function closeDatabase(): Promise<void> {
  const cached = globalCache.__sageDatabase
  globalCache.__sageDatabase = undefined
  await Promise.all([cached?.client.end({ timeout: 5 }), cached?.drizzleClient.end({ timeout: 5 })])
}

export type Db = Database['db']
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
export { schema }
