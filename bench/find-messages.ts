// 6. chat/findMessages on a large store: one chat's newest page, a page deep in the chat (by
// cursor), and a full-text search, each next to the bare route in the same run.
import postgres from 'postgres'
import type { Stack } from '@/test-support/stack'
import { loadTest } from './data-plane'
import { ms, perSecond, type Row } from './stats'
import { say } from './stack'

const CHATS = 1000
const PAGE = 50

/**
 * `count` messages on one instance (an unpaired one: the rows are what is read), spread over
 * 1,000 chats, written by Postgres itself in a few statements: seeding a million through the
 * worker would measure the worker, not the read.
 */
async function seedMessages(databaseUrl: string, instance: { id: string; userId: string }, count: number): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  try {
    const start = Math.floor(Date.now() / 1000) - count
    for (let from = 0; from < count; from += 100_000) {
      const to = Math.min(count, from + 100_000) - 1
      await sql`
        insert into messages (instance_id, user_id, wa_id, remote_jid, from_me, message_type, message, message_timestamp, status, from_history)
        select ${instance.id}, ${instance.userId}, 'BENCH' || n, (15550000000 + n % ${CHATS}) || '@s.whatsapp.net', n % 3 = 0, 'conversation',
               jsonb_build_object('conversation', 'order ' || n || ' is ' || (array['packed', 'shipped', 'delayed', 'delivered'])[1 + n % 4]),
               ${start} + n, 'DELIVERY_ACK', true
        from generate_series(${from}::int, ${to}::int) n`
    }
    await sql`
      insert into chats (instance_id, user_id, jid, last_message_timestamp)
      select ${instance.id}, ${instance.userId}, (15550000000 + n) || '@s.whatsapp.net', ${start + count} from generate_series(0, ${CHATS - 1}) n`
    await sql`analyze messages`
  } finally {
    await sql.end()
  }
}

export async function measureFindMessages(options: { stack: Stack; databaseUrl: string; apiKey: string; instance: { id: string; userId: string; name: string }; count: number; seconds?: number }): Promise<Row[]> {
  const seconds = options.seconds ?? 10
  say(`seeding ${options.count} messages`)
  await seedMessages(options.databaseUrl, options.instance, options.count)
  const url = `${options.stack.baseUrl}/api/v1/instance/${options.instance.name}/chat/findMessages`
  const headers = { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' }
  const post = async (body: unknown) => (await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) })).json()
  const chat = { where: { key: { remoteJid: '15550000007@s.whatsapp.net' } }, limit: PAGE }
  // A cursor ten pages into the chat: keyset paging costs the same there as on the first page.
  let deep: any = await post(chat)
  for (let page = 0; page < 9; page += 1) deep = await post({ ...chat, cursor: deep.nextCursor })
  const cases: [string, unknown][] = [
    [`newest ${PAGE} of one chat`, chat],
    [`page 11 of one chat (cursor)`, { ...chat, cursor: deep.nextCursor }],
    [`newest ${PAGE} of the instance`, { limit: PAGE }],
    [`text search "delayed 4242"`, { text: 'delayed 4242', limit: PAGE }],
  ]
  // One request at a time answers "how long does a page take" (the p50 the issue asks for); ten
  // connections show the throughput, where p50 is mostly queueing behind the other nine on 2 cores.
  const bare = `${options.stack.baseUrl}/bench-noop`
  const floors = { 1: await loadTest({ url: bare, connections: 1, seconds }), 10: await loadTest({ url: bare, connections: 10, seconds }) }
  const rows: Row[] = []
  for (const [name, body] of cases) {
    await loadTest({ url, method: 'POST', headers, body: JSON.stringify(body), connections: 10, seconds: 2 })
    for (const connections of [1, 10] as const) {
      const measured = await loadTest({ url, method: 'POST', headers, body: JSON.stringify(body), connections, seconds })
      const floor = floors[connections]
      const bad = measured.non2xx + measured.errors
      rows.push({
        figure: `6. findMessages, ${name}, ${options.count.toLocaleString('en')} stored, ${connections === 1 ? 'one at a time' : '10 conns'}`,
        value: `p50 ${ms(measured.p50)}, p99 ${ms(measured.p99)}, ${perSecond(measured.rps)}${bad ? ` (${bad} non-2xx/errors!)` : ''}`,
        floor: `p50 ${ms(floor.p50)}, ${perSecond(floor.rps)} bare route, ${connections} conn${connections === 1 ? '' : 's'}`,
        ratio: `+${ms(measured.p50 - floor.p50)} p50`,
      })
    }
  }
  return rows
}
