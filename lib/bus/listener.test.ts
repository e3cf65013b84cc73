// A LISTEN survives the database going away: once it is back, notifications arrive again.
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'
import { startDatabaseProxy } from '@/test-support/database-proxy'
import { eventually } from '@/test-support/eventually'

const database = await useTestDatabase()
const proxy = await startDatabaseProxy(database.url)
process.env.DATABASE_URL = proxy.url // before lib/db first connects
const { subscribe } = await import('./listener')
const direct = postgres(database.url, { max: 1, onnotice: () => {} })
afterAll(async () => {
  await direct.end()
  await proxy.close()
})

describe('subscribe', () => {
  it('hears notifications again after the database was away for a while', async () => {
    const heard: string[] = []
    await subscribe('sage_listener_test', (payload) => heard.push(payload))
    await direct`select pg_notify('sage_listener_test', 'before')`
    await eventually(async () => (heard.includes('before') ? true : undefined), 5_000, 20)

    proxy.down()
    await new Promise((resolve) => setTimeout(resolve, 3_000)) // an outage, not a condition to wait on
    proxy.up()
    await eventually(async () => {
      await direct`select pg_notify('sage_listener_test', 'after')`
      return heard.includes('after') ? true : undefined
    }, 20_000, 250)
    expect(heard).toContain('after')
  }, 40_000)
})
