import type { Command } from './command'

export const migrateCommand: Command = {
  name: 'migrate',
  usage: 'sage migrate',
  summary: 'Apply the database migrations in drizzle/.',
  needsDatabase: true,
  run: async (_values, output) => {
    const { migrateDatabase } = await import('@/lib/db/migrate')
    await migrateDatabase(process.env.DATABASE_URL!)
    output.info('Database is up to date.')
  },
}

export const statusCommand: Command = {
  name: 'status',
  usage: 'sage status',
  summary: 'Print the system status (database, workers) as JSON.',
  needsDatabase: true,
  run: async (_values, output) => {
    const { systemStatus } = await import('@/lib/services/status')
    const status = await systemStatus()
    output.info(JSON.stringify(status, null, 2))
    if (status.status === 'down') process.exitCode = 1
  },
}
