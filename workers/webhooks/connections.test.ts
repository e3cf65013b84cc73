// Kept-alive connections within the SSRF rules: reused per approved address, re-checked on a schedule.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { PinnedConnections } from './connections'
import { attemptDelivery } from './attempt'
import { UnsafeUrlError } from '@/lib/webhooks/url-guard'

async function countingServer() {
  let connections = 0
  const server = http.createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()))
  server.keepAliveTimeout = 10_000
  server.on('connection', () => connections++)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  }
}

describe('pinned connections', () => {
  it('deliveries to the same approved address share one kept-alive connection, which still goes to the checked address', async () => {
    const server = await countingServer()
    let lookups = 0
    // A name no DNS knows: a request can only arrive through the checked address.
    const connections = new PinnedConnections({ allowPrivate: true, timeoutMs: 2000, recheckMs: 60_000, resolveHost: async () => (lookups++, [{ address: '127.0.0.1', family: 4 }]) })
    try {
      const url = `http://pinned.sage-test.invalid:${server.port}/hooks`
      for (let i = 0; i < 10; i++) {
        const result = await attemptDelivery({ url, headers: {}, body: '{}', timeoutMs: 2000, allowPrivate: true, connections })
        expect(result).toMatchObject({ ok: true, statusCode: 204 })
      }
      // Without reuse, ten. (undici may open a second while the first is being handed back.)
      expect(server.connections()).toBeLessThanOrEqual(2)
      expect(lookups).toBe(1)
    } finally {
      await connections.close()
      await server.close()
    }
  })

  it('re-resolves and re-judges the host after recheckMs: a new answer gets its own connections, a private one is refused', async () => {
    let answer = '93.184.215.14'
    const connections = new PinnedConnections({ allowPrivate: false, timeoutMs: 2000, recheckMs: 100, resolveHost: async () => [{ address: answer, family: 4 }] })
    try {
      const first = await connections.target('https://hooks.example.com/in')
      answer = '93.184.215.15'
      // Within recheckMs the approved answer is kept, and so is its agent.
      expect((await connections.target('https://hooks.example.com/in')).agent).toBe(first.agent)
      await new Promise((resolve) => setTimeout(resolve, 150))
      const moved = await connections.target('https://hooks.example.com/in')
      expect(moved.agent).not.toBe(first.agent)

      answer = '169.254.169.254'
      await new Promise((resolve) => setTimeout(resolve, 150))
      const refused = await connections.target('https://hooks.example.com/in').catch((error) => error)
      expect(refused).toBeInstanceOf(UnsafeUrlError)
      expect(refused.message).toMatch(/169\.254\.169\.254.*link-local/)
    } finally {
      await connections.close()
    }
  })
})
