// A drizzle query builder for tests that read or adjust rows by schema (the product itself runs
// raw SQL through lib/store; drizzle only declares the schema). Connects to DATABASE_URL as set
// by the test file's database when first used.
import postgres from 'postgres'
import { drizzle } from 'drizzle-orm/postgres-js'
import * as schema from '@/lib/db/schema'

let instance: ReturnType<typeof drizzle<typeof schema>> | undefined

function connect() {
  const url = process.env.DATABASE_URL
  if (!url) throw new Error('DATABASE_URL is not set: call useTestDatabase() first')
  instance ??= drizzle(postgres(url, { max: 2, onnotice: () => {} }), { schema })
  return instance
}

export const db = new Proxy({} as ReturnType<typeof connect>, {
  get: (_target, property) => Reflect.get(connect(), property, connect()),
})
