// The replayable event log: GET /api/v1/events, its SSE stream and its WebSocket resume after the last
// event a consumer has, with nothing lost and nothing repeated; who may read what; bad inputs are 400s.
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'
import { createVerifiedAccount } from '@/test-support/accounts'
import { mintKey } from '@/test-support/cli'
import { readSse, readWebSocket, type WireEvent } from '@/test-support/event-log'
import postgres from 'postgres'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { launchBrowser } from './support/browser'

const database = await useTestDatabase()
// Request logs at info, kept in files: the ticket test reads them for secrets.
const logDir = mkdtempSync(join(tmpdir(), 'sage-event-log-'))
const stack = await startStack({ databaseUrl: database.url, workers: 0, logDir, env: { LOG_LEVEL: 'info' } })
const { recordEventAlone } = await import('@/lib/store/events')

const alice = await createVerifiedAccount(database.url, { instances: ['alice-a', 'alice-b'] })
const bob = await createVerifiedAccount(database.url, { instances: ['bob-shop'] })
const accountKey = mintKey(stack, alice.email, '--scope', 'account', '--rate-limit', '10000')
const pinnedKey = mintKey(stack, alice.email, '--instances', 'alice-b', '--rate-limit', '10000')
const bobKey = mintKey(stack, bob.email, '--scope', 'account', '--rate-limit', '10000')

const sql = postgres(database.url, { max: 1, onnotice: () => {} })
const instanceIds = Object.fromEntries((await sql`select id, name from instances`).map((row) => [row.name, row.id as string]))
await sql.end()
const aliceA = { id: instanceIds['alice-a'], userId: alice.userId, name: 'alice-a' }
const aliceB = { id: instanceIds['alice-b'], userId: alice.userId, name: 'alice-b' }
const bobShop = { id: instanceIds['bob-shop'], userId: bob.userId, name: 'bob-shop' }

let counter = 0
/** Records `count` events on alice-a, `parallel` transactions at a time (so commits interleave), numbered in data.n. */
async function record(count: number, parallel = 8): Promise<number[]> {
  const numbers = Array.from({ length: count }, () => ++counter)
  for (let index = 0; index < numbers.length; index += parallel) {
    await Promise.all(numbers.slice(index, index + parallel).map((n) => recordEventAlone(aliceA, 'MESSAGES_UPSERT', { n })))
  }
  return numbers
}

async function get(key: string, query: string) {
  const response = await fetch(`${stack.baseUrl}/api/v1/events${query}`, { headers: { authorization: `Bearer ${key}` } })
  return { status: response.status, body: await response.json() }
}

/** Everything the key can read after `after`, page by page. */
async function readAll(key: string, after = '0', limit = 137): Promise<WireEvent[]> {
  const all: WireEvent[] = []
  for (;;) {
    const { status, body } = await get(key, `?after=${after}&limit=${limit}`)
    expect(status).toBe(200)
    all.push(...body.events)
    after = body.nextAfter
    if (!body.hasMore) return all
  }
}

const tailPosition = async () => (await readAll(accountKey, '0', 1000)).at(-1)?.position ?? '0'
// Recorded in parallel transactions, events commit (and so are positioned) in any order: compare sets, and check positions for order.
const numbersOf = (events: WireEvent[]) => events.map((event) => event.data.n).sort((a: number, b: number) => a - b)
const positionsIncrease = (events: WireEvent[]) => events.every((event, index) => index === 0 || Number(event.position) > Number(events[index - 1].position))

describe('the event log', () => {
  it('SSE: 500 events (half recorded while streaming), disconnect, 300 more, Last-Event-ID gives exactly those 300 in order', async () => {
    const before = await record(250)
    const reading = readSse(stack.baseUrl, accountKey, { until: (events) => events.length >= 500 })
    const during = await record(250)
    const first = await reading
    expect(numbersOf(first.events)).toEqual([...before, ...during])
    expect(positionsIncrease(first.events)).toBe(true)
    expect(first.ids).toEqual(first.events.map((event) => event.position))
    expect(first.events[0]).toMatchObject({ event: 'MESSAGES_UPSERT', instance: 'alice-a', id: expect.stringMatching(/^[0-9a-f-]{36}$/) })

    const missed = await record(300)
    const lastId = first.ids.at(-1)!
    const resumed = await readSse(stack.baseUrl, accountKey, { lastEventId: lastId, until: (events) => events.length >= 300 })
    expect(numbersOf(resumed.events)).toEqual(missed)
    expect(positionsIncrease(resumed.events)).toBe(true)
    expect(Number(resumed.events[0].position)).toBeGreaterThan(Number(lastId))
    // Nothing after those 300 but what is recorded next: a marker arrives as the very next event.
    const live = readSse(stack.baseUrl, accountKey, { lastEventId: resumed.ids.at(-1), until: (events) => events.length >= 1 })
    const [marker] = await record(1)
    expect(numbersOf((await live).events)).toEqual([marker])
  })

  it('WebSocket: the same stream, resumed with Last-Event-ID or ?after=', async () => {
    const start = await tailPosition()
    const recorded = await record(500)
    const first = await readWebSocket(stack.baseUrl, accountKey, { lastEventId: start, until: (events) => events.length >= 500 })
    expect(numbersOf(first)).toEqual(recorded)
    expect(positionsIncrease(first)).toBe(true)
    const missed = await record(300)
    const resumed = await readWebSocket(stack.baseUrl, accountKey, { query: `?after=${first.at(-1)!.position}`, until: (events) => events.length >= 300 })
    expect(numbersOf(resumed)).toEqual(missed)
    const live = readWebSocket(stack.baseUrl, accountKey, { lastEventId: resumed.at(-1)!.position, until: (events) => events.length >= 1 })
    const [marker] = await record(1)
    expect(numbersOf(await live)).toEqual([marker])
  })

  it('WebSocket refusals carry the API’s status and error code', async () => {
    await expect(readWebSocket(stack.baseUrl, 'sage_notakey', { until: () => true })).rejects.toMatchObject({ status: 401 })
    await expect(readWebSocket(stack.baseUrl, accountKey, { query: '?after=x', until: () => true })).rejects.toMatchObject({ status: 400, body: expect.stringContaining('invalid_request') })
  })

  it('GET /api/v1/events: 500, then the 300 recorded after, exactly, by paging with after', async () => {
    const start = await tailPosition()
    const first = await record(500)
    const page = await readAll(accountKey, start)
    expect(numbersOf(page)).toEqual(first)
    const missed = await record(300)
    const next = await readAll(accountKey, page.at(-1)!.position)
    expect(numbersOf(next)).toEqual(missed)
    expect(positionsIncrease([...page, ...next])).toBe(true)
    expect((await get(accountKey, `?after=${next.at(-1)!.position}`)).body).toEqual({ events: [], nextAfter: next.at(-1)!.position, hasMore: false })
  })

  it('filters by instance and type; an instance key reads only its instances; another account reads none of ours', async () => {
    await recordEventAlone(aliceB, 'CONNECTION_UPDATE', { state: 'open' })
    await recordEventAlone(bobShop, 'CONNECTION_UPDATE', { state: 'open' })
    const onlyB = (await get(accountKey, '?instance=alice-b&limit=1000')).body.events
    expect(onlyB.map((event: WireEvent) => event.instance)).toEqual(['alice-b'])
    const connection = (await get(accountKey, '?types=CONNECTION_UPDATE&limit=1000')).body.events
    expect(connection.map((event: WireEvent) => event.instance)).toEqual(['alice-b'])

    const pinned = (await get(pinnedKey, '?limit=1000')).body.events
    expect(pinned.map((event: WireEvent) => event.instance)).toEqual(['alice-b'])
    expect((await get(pinnedKey, '?instance=alice-a')).body.error).toBe('instance_not_allowed')
    const pinnedStream = await readSse(stack.baseUrl, pinnedKey, { until: (events) => events.length >= 1 })
    expect(pinnedStream.events.map((event) => event.instance)).toEqual(['alice-b'])

    const bobs = (await get(bobKey, '?limit=1000')).body.events
    expect(bobs.map((event: WireEvent) => event.instance)).toEqual(['bob-shop'])
    const bobAsksForOurs = await get(bobKey, '?instance=alice-a')
    expect(bobAsksForOurs).toMatchObject({ status: 404, body: { error: 'instance_not_found' } })
  })

  it('bad inputs are 400 invalid_request with details, never 500', async () => {
    for (const query of ['?after=abc', '?after=-1', '?after=1.5', '?after=9999999999999999', '?limit=0', '?limit=1001', '?limit=ten', '?types=NOPE', '?types=', '?instance=Bad_Name', '?instance=a%00b', '?types=MESSAGES_UPSERT%00', '?unknown=1']) {
      const { status, body } = await get(accountKey, query)
      expect({ query, status, error: body.error }).toEqual({ query, status: 400, error: 'invalid_request' })
      expect(body.details.length, query).toBeGreaterThan(0)
    }
    const badLastEventId = await fetch(`${stack.baseUrl}/api/v1/events/stream`, { headers: { authorization: `Bearer ${accountKey}`, 'last-event-id': 'nope' } })
    expect(badLastEventId.status).toBe(400)
    expect((await badLastEventId.json()).error).toBe('invalid_request')
    expect((await fetch(`${stack.baseUrl}/api/v1/events`)).status).toBe(401)
  })

  it('/metrics does not exist without METRICS_TOKEN (this stack has none)', async () => {
    const response = await fetch(`${stack.baseUrl}/metrics`, { headers: { authorization: 'Bearer anything-at-all-here' } })
    expect(response.status).toBe(404)
    expect((await response.json()).error).toBe('not_found')
  })

  describe('from a browser: a single-use ticket instead of the key', () => {
    async function mintTicket(key: string) {
      const response = await fetch(`${stack.baseUrl}/api/v1/events/tickets`, { method: 'POST', headers: { authorization: `Bearer ${key}` } })
      const body = await response.json()
      expect(response.status, JSON.stringify(body)).toBe(201)
      expect(body.ticket).toMatch(/^sage_wst_/)
      expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(50_000)
      return body.ticket as string
    }
    const tickets: string[] = []

    type BrowserEvent = { position: string; data: { n: number } }
    /** What a page does: open the stream by URL alone (no header can be set) and collect `count` events. */
    const readInBrowser = (page: Page, kind: 'websocket' | 'eventsource', url: string, count: number) =>
      page.evaluate(
        ({ kind, url, count }) =>
          new Promise<BrowserEvent[]>((resolve, reject) => {
            const events: BrowserEvent[] = []
            const take = (data: string, stop: () => void) => {
              events.push(JSON.parse(data))
              if (events.length === count) {
                stop()
                resolve(events)
              }
            }
            if (kind === 'websocket') {
              const socket = new WebSocket(url)
              socket.onmessage = (message) => take(message.data, () => socket.close())
              socket.onclose = (close) => reject(new Error(`closed (${close.code}) after ${events.length} events`))
            } else {
              const source = new EventSource(url)
              source.addEventListener('MESSAGES_UPSERT', (message) => take((message as MessageEvent).data, () => source.close()))
              source.onerror = () => {
                source.close()
                reject(new Error(`EventSource failed after ${events.length} events`))
              }
            }
          }),
        { kind, url, count },
      )

    it('Chromium reads the WebSocket and an EventSource with tickets, resuming with after=, and never holds the key', async () => {
      const browser = await launchBrowser()
      const page = await browser.newPage()
      await page.goto(`${stack.baseUrl}/api/v1/status`)
      const start = await tailPosition()
      const numbers = await record(40)

      const wsTicket = await mintTicket(accountKey)
      tickets.push(wsTicket)
      const wsUrl = `${stack.baseUrl.replace(/^http/, 'ws')}/api/v1/events/ws?ticket=${wsTicket}&after=${start}`
      const overWebSocket = await readInBrowser(page, 'websocket', wsUrl, 40)
      expect(overWebSocket.map((event) => event.data.n).sort((a, b) => a - b)).toEqual(numbers)

      // The ticket is spent: the same URL again does not open.
      const reused = await page.evaluate(
        (url) =>
          new Promise<string>((resolve) => {
            const socket = new WebSocket(url)
            socket.onopen = () => resolve('open')
            socket.onerror = () => resolve('refused')
          }),
        wsUrl,
      )
      expect(reused).toBe('refused')

      // EventSource, resuming after the last position the page has, with a new ticket.
      const more = await record(10)
      const sseTicket = await mintTicket(accountKey)
      tickets.push(sseTicket)
      const overEventSource = await readInBrowser(page, 'eventsource', `/api/v1/events/stream?ticket=${sseTicket}&after=${overWebSocket.at(-1)!.position}`, 10)
      expect(overEventSource.map((event) => event.data.n).sort((a, b) => a - b)).toEqual(more)
      expect(await page.evaluate(() => document.documentElement.outerHTML)).not.toContain(accountKey)
      await page.close()
    }, 60_000)

    it('a ticket is the key that minted it (pinning applies), opens one stream, and is refused used, expired, unknown or with a header', async () => {
      await recordEventAlone(aliceB, 'CONNECTION_UPDATE', { state: 'open' })
      const pinnedTicket = await mintTicket(pinnedKey)
      tickets.push(pinnedTicket)
      const pinned = await readWebSocket(stack.baseUrl, null, { query: `?ticket=${pinnedTicket}&after=0`, until: (events) => events.length >= 1 })
      expect(new Set(pinned.map((event) => event.instance))).toEqual(new Set(['alice-b']))
      await expect(readWebSocket(stack.baseUrl, null, { query: `?ticket=${pinnedTicket}`, until: () => true })).rejects.toMatchObject({ status: 401, body: expect.stringContaining('unauthorized') })

      const expiring = await mintTicket(accountKey)
      tickets.push(expiring)
      const sql = postgres(database.url, { max: 1, onnotice: () => {} })
      await sql`update event_stream_tickets set expires_at = now() - interval '1 second' where hash = ${createHash('sha256').update(expiring).digest('hex')}`
      await sql.end()
      const expired = await fetch(`${stack.baseUrl}/api/v1/events/stream?ticket=${expiring}`)
      expect(expired.status).toBe(401)
      expect((await expired.json()).message).toMatch(/unknown, used or expired/)

      for (const ticket of ['sage_wst_1111111111111111111111111111111111', 'nope', accountKey]) {
        await expect(readWebSocket(stack.baseUrl, null, { query: `?ticket=${encodeURIComponent(ticket)}`, until: () => true })).rejects.toMatchObject({ status: 401 })
      }
      const withHeader = await mintTicket(accountKey)
      tickets.push(withHeader)
      const both = await fetch(`${stack.baseUrl}/api/v1/events/stream?ticket=${withHeader}`, { headers: { authorization: `Bearer ${accountKey}` } })
      expect(both.status).toBe(400)
      expect((await both.json()).details).toEqual([expect.objectContaining({ field: 'ticket' })])
      // Minting needs a key.
      expect((await fetch(`${stack.baseUrl}/api/v1/events/tickets`, { method: 'POST' })).status).toBe(401)
    })

    it('never writes a ticket or a key to the logs', async () => {
      const logs = readdirSync(logDir).map((file) => readFileSync(join(logDir, file), 'utf8')).join('\n')
      expect(logs).toContain('/api/v1/events/stream')
      for (const secret of [...tickets, accountKey, pinnedKey]) expect(logs).not.toContain(secret)
    })
  })
})
