// Once per `npm test`: a Postgres server (DATABASE_URL, else an embedded one), a migrated template
// database every test file clones, and a fresh production build for the browser tests.
import type { TestProject } from 'vitest/node'
import { buildWebIfNeeded } from '@/lib/runtime/build'
import { createMigratedDatabase } from '@/test-support/database'

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string
    templateDatabase: string
  }
}

export default async function setup(project: TestProject) {
  process.env.LOG_LEVEL = 'warn'
  const template = await createMigratedDatabase({ namePrefix: 'sage_template', embeddedDir: 'test-pg' })

  if (process.env.SAGE_TEST_SKIP_BUILD !== '1') buildWebIfNeeded((line) => console.log(line))

  project.provide('adminDatabaseUrl', template.adminUrl)
  project.provide('templateDatabase', template.name)

  return template.drop
}
