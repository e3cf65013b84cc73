// The instance page's event stream against a real database: the first state, a change announced on
// the bus, a deleted instance, and the end of the stream (and of its timers) when the client goes.
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'

await useTestDatabase()
const { sqlClient } = await import('@/lib/db')
const { notify } = await import('@/lib/bus/listener')
const { CHANNELS } = await import('@/lib/bus/channels')
const { instanceEventStream } = await import('./live-events')

const sql = sqlClient()
const [user] = await sql`insert into users (email, password_hash, email_verified_at) values ('stream@example.com', 'x', now()) returning id`
const ctx = { userId: user.id as string, email: 'stream@example.com', emailVerified: true }

async function newInstance(name: string) {
  const [row] = await sql`insert into instances (user_id, name) values (${ctx.userId}, ${name}) returning id, name`
  return { id: row.id as string, name: row.name as string }
}

/** Reads the stream until `count` events (not comments or retry lines) have arrived. */
function eventReader(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  return {
    async next(): Promise<{ event: string; data: unknown } | 'end'> {
      for (;;) {
        const match = /event: (\w+)\ndata: (.*)\n\n/.exec(buffer)
        if (match) {
          buffer = buffer.slice(match.index + match[0].length)
          return { event: match[1], data: JSON.parse(match[2]) }
        }
        const chunk = await reader.read()
        if (chunk.done) return 'end'
        buffer += decoder.decode(chunk.value)
      }
    },
    reader,
  }
}

const controllers: AbortController[] = []
afterAll(() => controllers.forEach((controller) => controller.abort()))

describe('instanceEventStream', () => {
  it('sends the state and messages at once, and the new state when the bus announces a change', async () => {
    const instance = await newInstance('stream-one')
    const controller = new AbortController()
    controllers.push(controller)
    const events = eventReader(instanceEventStream({ ctx, instance, signal: controller.signal }))
    expect(await events.next()).toMatchObject({ event: 'state', data: { name: 'stream-one', state: 'close', qr: null } })
    expect(await events.next()).toEqual({ event: 'messages', data: [] })

    await sql`update instances set state = 'connecting', qr_code = 'ref,abc,def,ghi', qr_count = 1, updated_at = now() where id = ${instance.id}`
    const announcedAt = Date.now()
    await notify(CHANNELS.instanceChanged, instance.id)
    const next = await events.next()
    expect(Date.now() - announcedAt).toBeLessThan(1000)
    expect(next).toMatchObject({ event: 'state', data: { state: 'connecting', qr: { code: 'ref,abc,def,ghi', count: 1 } } })
    expect((next as { data: { qr: { base64: string } } }).data.qr.base64).toMatch(/^data:image\/png;base64,/)
  })

  it('ends when the client goes away', async () => {
    const instance = await newInstance('stream-two')
    const controller = new AbortController()
    const events = eventReader(instanceEventStream({ ctx, instance, signal: controller.signal }))
    await events.next()
    await events.next()
    controller.abort()
    expect(await events.next()).toBe('end')
  })

  it('says "gone" and ends when the instance is deleted', async () => {
    const instance = await newInstance('stream-three')
    const controller = new AbortController()
    controllers.push(controller)
    const events = eventReader(instanceEventStream({ ctx, instance, signal: controller.signal }))
    await events.next()
    await events.next()
    await sql`delete from instances where id = ${instance.id}`
    await notify(CHANNELS.instanceChanged, instance.id)
    expect(await events.next()).toEqual({ event: 'gone', data: { name: 'stream-three' } })
    expect(await events.next()).toBe('end')
  })
})
