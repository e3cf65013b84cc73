// A web process whose database goes away mid-life answers 503 `unavailable` with Retry-After, in our
// JSON error format, and serves again once the database is back. The web process reaches Postgres
// through a TCP relay this test owns, so "the database is gone" is a real refused connection.
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '@/test-support/cli'
import { createVerifiedAccount, sessionCookie } from '@/test-support/accounts'
import { eventually } from '@/test-support/eventually'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'

const database = await useTestDatabase()

/** Forwards to the real Postgres until cut(); cut() also drops every open connection. */
async function startRelay(target: URL) {
  const sockets = new Set<net.Socket>()
  let server: net.Server | undefined
  let port = 0
  const listen = async () => {
    server = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 5432), target.hostname)
      for (const socket of [client, upstream]) {
        sockets.add(socket)
        socket.on('close', () => sockets.delete(socket))
        socket.on('error', () => socket.destroy())
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve))
    port = (server!.address() as AddressInfo).port
  }
  await listen()
  return {
    port,
    cut: async () => {
      const closed = new Promise<void>((resolve) => server!.close(() => resolve()))
      for (const socket of sockets) socket.destroy()
      await closed
    },
    restore: listen,
  }
}

const target = new URL(database.url)
const relay = await startRelay(target)
afterAll(() => relay.cut().catch(() => {}))
const relayed = new URL(database.url)
relayed.host = `127.0.0.1:${relay.port}`
const stack = await startStack({ databaseUrl: relayed.toString(), workers: 0 })
const alice = await createVerifiedAccount(database.url, { instances: ['acme'] })
const key = runCli({ ...stack.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn' }, 'key:create', '--email', alice.email).lastLine
const cookie = await sessionCookie(database.url, alice.userId, stack.env.AUTH_SECRET!)

const dataPlane = () => fetch(`${stack.baseUrl}/api/v1/instance/acme/connectionState`, { headers: { authorization: `Bearer ${key}` } })
const accountPlane = () => fetch(`${stack.baseUrl}/api/v1/me/instances`, { headers: { cookie } })

describe("the database goes away during requests", { timeout: 90_000 }, () => {
  it('answers 503 unavailable with Retry-After, not 500, then serves again once it is back', async () => {
    expect((await dataPlane()).status).toBe(200)
    expect((await accountPlane()).status).toBe(200)

    await relay.cut()
    // The key check is cached for under a second; past it every request needs the database.
    for (const request of [dataPlane, accountPlane]) {
      const response = await eventually(async () => {
        const answer = await request()
        return answer.status === 200 ? undefined : answer
      }, 10_000, 100)
      const body = await response.json()
      expect(response.status, JSON.stringify(body)).toBe(503)
      expect(body).toEqual({ error: 'unavailable', message: expect.stringMatching(/database/), requestId: response.headers.get('x-request-id') })
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0)
      expect(response.headers.get('content-type')).toContain('application/json')
    }

    await relay.restore()
    await eventually(async () => ((await dataPlane()).status === 200 ? true : undefined), 15_000, 200)
    expect((await accountPlane()).status).toBe(200)
  })
})
