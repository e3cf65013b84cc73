import path from 'node:path'
import { applyLocalSecrets } from './local-secrets'
import { runningPostmaster, startEmbeddedPostgres } from './embedded-postgres'
import { dataDir } from './paths'

export const EMBEDDED_DATABASE_DIR = path.join(dataDir, 'pg')

/**
 * What `npm start` and `sage` do before anything else: fill in local secrets, and when no
 * DATABASE_URL is given, bring up the embedded Postgres under .data/ and point DATABASE_URL at it.
 */
type DatabaseMode =
  /** npm start: owns the embedded server; one left by a killed run is stopped and started afresh. */
  | 'start-fresh'
  /** sage CLI: use the server of a running `npm start`, or start one for the duration of the command. */
  | 'reuse-or-start'
  /** an extra worker: only ever joins the server of a running `npm start`. */
  | 'reuse-only'

export async function prepareEnvironment(options: { database: DatabaseMode; onLog?: (line: string) => void }) {
  if (process.env.NODE_ENV !== 'production') process.env.SAGE_ENV ??= 'development'
  applyLocalSecrets(dataDir)
  if (process.env.DATABASE_URL) return { stopDatabase: async () => {}, embedded: false }
  if (options.database === 'reuse-only' && !runningPostmaster(EMBEDDED_DATABASE_DIR)) {
    throw new Error('DATABASE_URL is not set and no embedded Postgres is running; start the service with `npm start` first.')
  }
  const postgres = await startEmbeddedPostgres({
    databaseDir: EMBEDDED_DATABASE_DIR,
    reuseRunning: options.database !== 'start-fresh',
    onLog: options.onLog,
  })
  if (postgres.startedHere) await ensureDatabase(postgres.url(), 'sage')
  process.env.DATABASE_URL = postgres.url('sage')
  return { stopDatabase: postgres.stop, embedded: true }
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const { default: postgres } = await import('postgres')
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    const existing = await admin`select 1 from pg_database where datname = ${name}`
    if (existing.length === 0) await admin.unsafe(`create database "${name}"`)
  } finally {
    await admin.end({ timeout: 5 })
  }
}
