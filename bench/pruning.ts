// 7. Retention pruning under load: `count` messages past their retention deleted by the worker's
// pruning code (lib/retention/prune.ts, its default batches and pauses) while a stream of sendText
// runs; the stream's latency next to the same stream without pruning, in the same run.
import postgres from 'postgres'
import { ms, percentile, type Row } from './stats'
import { say } from './stack'

const STREAM_CONNECTIONS = 2

/** Old messages (200 days, past the default 90) on an instance of their own, one in ten with media bytes. */
async function seedExpired(databaseUrl: string, instance: { id: string; userId: string }, count: number): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  try {
    for (let from = 0; from < count; from += 100_000) {
      const to = Math.min(count, from + 100_000) - 1
      await sql`
        with inserted as (
          insert into messages (instance_id, user_id, wa_id, remote_jid, from_me, message_type, message, message_timestamp, status, from_history, created_at)
          select ${instance.id}, ${instance.userId}, 'OLD' || n, (15550000000 + n % 1000) || '@s.whatsapp.net', n % 3 = 0, 'conversation',
                 jsonb_build_object('conversation', 'old message ' || n), 1600000000 + n, 'READ', true, now() - interval '200 days'
          from generate_series(${from}::int, ${to}::int) n
          returning id, wa_id)
        insert into message_media (message_id, data, mimetype, created_at)
        select id, '\\x89504e47'::bytea, 'image/png', now() - interval '200 days' from inserted where substr(wa_id, 4)::int % 10 = 0`
    }
    await sql`analyze messages`
    await sql`analyze message_media`
  } finally {
    await sql.end()
  }
}

/** Sequential sendText on `STREAM_CONNECTIONS` connections until `until()` says stop; each send's latency. */
async function sendStream(options: { baseUrl: string; apiKey: string; instances: string[]; to: string }, until: () => boolean): Promise<number[]> {
  const headers = { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' }
  const body = JSON.stringify({ number: options.to, text: 'Benchmark message during pruning.' })
  const samples: number[] = []
  await Promise.all(
    Array.from({ length: STREAM_CONNECTIONS }, async (_, lane) => {
      const url = `${options.baseUrl}/api/v1/instance/${options.instances[lane % options.instances.length]}/message/sendText`
      while (!until()) {
        const startedAt = performance.now()
        const response = await fetch(url, { method: 'POST', headers, body })
        await response.arrayBuffer()
        if (response.status !== 201) throw new Error(`sendText during the pruning bench: ${response.status}`)
        samples.push(performance.now() - startedAt)
      }
    }),
  )
  return samples
}

const summary = (samples: number[]) => `p50 ${ms(percentile(samples, 50))}, p99 ${ms(percentile(samples, 99))} (${samples.length} sends)`

export async function measurePruning(options: {
  databaseUrl: string
  baseUrl: string
  apiKey: string
  /** Paired instances the send stream uses. */
  instances: string[]
  to: string
  /** An unpaired instance of the same account that holds the old messages. */
  archive: { id: string; userId: string }
  count: number
  baselineSeconds?: number
}): Promise<Row[]> {
  say(`seeding ${options.count} expired messages`)
  await seedExpired(options.databaseUrl, options.archive, options.count)
  const baselineMs = (options.baselineSeconds ?? 20) * 1000
  const baselineEnds = performance.now() + baselineMs
  const baseline = await sendStream(options, () => performance.now() >= baselineEnds)

  // The pruning code the worker runs hourly, in this process against the same database (the worker's
  // own hourly run would start at a time the bench cannot choose).
  const { pruneExpired } = await import('@/lib/retention/prune')
  say('pruning while sends stream')
  let pruning = true
  const startedAt = performance.now()
  const pruned = pruneExpired().finally(() => (pruning = false))
  const during = await sendStream(options, () => !pruning)
  const counts = await pruned
  const seconds = (performance.now() - startedAt) / 1000
  return [
    {
      figure: `7. sendText while ${counts.messages.toLocaleString('en')} expired messages are pruned (${STREAM_CONNECTIONS} conns)`,
      value: summary(during),
      floor: `without pruning: ${summary(baseline)}`,
      ratio: `${(percentile(during, 99) / percentile(baseline, 99)).toFixed(2)}× p99`,
    },
    {
      figure: '7. … the pruning itself (batches of 1,000, 50 ms apart)',
      value: `${counts.messages.toLocaleString('en')} messages in ${seconds.toFixed(1)} s = ${Math.round(counts.messages / seconds).toLocaleString('en')}/s`,
      floor: 'one message in ten has a media row, deleted with it',
    },
  ]
}
