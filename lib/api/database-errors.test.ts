// The errors postgres.js really throws when the database goes away, and what the API makes of them.
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'
import { databaseUnavailable } from './database-errors'

const database = await useTestDatabase()

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe('a lost database is 503 unavailable with Retry-After', () => {
  it('nothing listening (ECONNREFUSED)', async () => {
    const sql = postgres({ host: '127.0.0.1', port: await closedPort(), max: 1, connect_timeout: 2, onnotice: () => {} })
    const error = await rejection(sql`select 1`)
    await sql.end()
    const mapped = databaseUnavailable(error)
    expect(mapped?.code, String(error)).toBe('unavailable')
    expect(mapped?.status).toBe(503)
    expect(Number(mapped?.headers['Retry-After'])).toBeGreaterThan(0)
  })

  it('the backend is terminated mid-query (57P01 admin_shutdown, or the connection closed under it)', async () => {
    const sql = postgres(database.url, { max: 1, onnotice: () => {} })
    const admin = postgres(database.url, { max: 1, onnotice: () => {} })
    const [{ pid }] = await sql`select pg_backend_pid() as pid`
    const running = rejection(sql`select pg_sleep(30)`)
    await admin`select pg_terminate_backend(pid) from pg_stat_activity where pid = ${pid} and state = 'active'`
    const error = await running
    await Promise.all([sql.end(), admin.end()])
    expect((error as { code?: string }).code).toMatch(/^(57P01|CONNECTION_CLOSED)$/)
    expect(databaseUnavailable(error)?.code).toBe('unavailable')
  })

  it('a pool that was ended (CONNECTION_ENDED)', async () => {
    const sql = postgres(database.url, { max: 1, onnotice: () => {} })
    await sql.end()
    const error = await rejection(sql`select 1`)
    expect((error as { code?: string }).code).toBe('CONNECTION_ENDED')
    expect(databaseUnavailable(error)?.code).toBe('unavailable')
  })

  it('but not an ordinary SQL error, or anything else', async () => {
    const sql = postgres(database.url, { max: 1, onnotice: () => {} })
    const error = await rejection(sql`select * from no_such_table`)
    await sql.end()
    expect(databaseUnavailable(error)).toBeUndefined()
    expect(databaseUnavailable(new Error('boom'))).toBeUndefined()
    expect(databaseUnavailable(null)).toBeUndefined()
  })
})
