// Retention against a real database: each kind of data older than its account's setting is deleted,
// nothing younger and nothing of another account, scheduled sends are kept, and workers pruning at once split the work.
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'
import { createVerifiedAccount } from '@/test-support/accounts'

const database = await useTestDatabase()
const { sqlClient } = await import('@/lib/db')
const { pruneExpired } = await import('./prune')
const { readRetention, saveRetention } = await import('@/lib/store/retention')
const { DEFAULT_RETENTION, RetentionInput } = await import('./policy')

const sql = sqlClient()

async function account() {
  const name = `ret-${randomBytes(3).toString('hex')}`
  const created = await createVerifiedAccount(database.url, { instances: [name] })
  const [instance] = await sql<{ id: string }[]>`select id from instances where user_id = ${created.userId}`
  const [endpoint] = await sql<{ id: string }[]>`
    insert into webhook_endpoints (user_id, url, events, secret) values (${created.userId}, 'https://hooks.example.com/in', '{MESSAGES_UPSERT}', '\\x00')
    returning id`
  return { ...created, instanceId: instance.id, instanceName: name, endpointId: endpoint.id }
}
type Account = Awaited<ReturnType<typeof account>>

/** A message `ageDays` old, with media bytes of the same age when `media` is set. */
async function message(owner: Account, ageDays: number, options: { media?: boolean; scheduled?: boolean } = {}) {
  const [row] = await sql<{ id: string }[]>`
    insert into messages (instance_id, user_id, wa_id, remote_jid, from_me, message_type, message, message_timestamp, status, via_api, created_at)
    values (${owner.instanceId}, ${owner.userId}, ${randomBytes(8).toString('hex')}, '5511999990000@s.whatsapp.net', ${Boolean(options.scheduled)},
      'conversation', '{}', 1, 'PENDING', ${Boolean(options.scheduled)}, now() - make_interval(days => ${ageDays}))
    returning id`
  if (options.media) {
    await sql`insert into message_media (message_id, data, mimetype, created_at) values (${row.id}, '\\x01', 'image/png', now() - make_interval(days => ${ageDays}))`
  }
  return row.id
}

async function event(owner: Account, ageDays: number) {
  const [row] = await sql<{ id: string }[]>`
    insert into instance_events (instance_id, user_id, instance_name, event, data, created_at)
    values (${owner.instanceId}, ${owner.userId}, ${owner.instanceName}, 'CONNECTION_UPDATE', '{}', now() - make_interval(days => ${ageDays}))
    returning id`
  return row.id
}

async function delivery(owner: Account, ageDays: number, status: 'pending' | 'succeeded' | 'failed') {
  const [row] = await sql<{ id: string }[]>`
    insert into webhook_deliveries (endpoint_id, test_event, user_id, status, created_at)
    values (${owner.endpointId}, '{}', ${owner.userId}, ${status}, now() - make_interval(days => ${ageDays}))
    returning id`
  await sql`insert into webhook_attempts (delivery_id, attempted_at, status_code) values (${row.id}, now() - make_interval(days => ${ageDays}), 200)`
  return row.id
}

const ids = async (table: string, userId: string) =>
  (await sql`select id from ${sql(table)} where user_id = ${userId}`).map((row) => row.id as string).sort()

describe('retention', () => {
  it('deletes exactly what is older than the account setting, for each kind, and nothing of another account', async () => {
    const chosen = await account()
    await saveRetention(chosen.userId, { messagesDays: 10, mediaDays: 5, eventsDays: 2, webhookDeliveriesDays: 3 })
    const other = await account() // on the defaults

    const chosenMessages = {
      old: await message(chosen, 11, { media: true }),
      young: await message(chosen, 9),
      recent: await message(chosen, 4, { media: true }),
      youngWithOldMedia: await message(chosen, 6, { media: true }),
      scheduled: await message(chosen, 30, { scheduled: true }),
    }
    const chosenEvents = { old: await event(chosen, 3), young: await event(chosen, 1) }
    const chosenDeliveries = { old: await delivery(chosen, 4, 'succeeded'), oldFailed: await delivery(chosen, 4, 'failed'), oldPending: await delivery(chosen, 4, 'pending'), young: await delivery(chosen, 2, 'succeeded') }
    const otherKept = {
      messages: [await message(other, 11, { media: true }), await message(other, DEFAULT_RETENTION.messagesDays - 1, { media: true })],
      events: [await event(other, 3), await event(other, DEFAULT_RETENTION.eventsDays - 1)],
      deliveries: [await delivery(other, 4, 'succeeded')],
    }
    const otherOld = { message: await message(other, DEFAULT_RETENTION.messagesDays + 1), event: await event(other, DEFAULT_RETENTION.eventsDays + 1), delivery: await delivery(other, DEFAULT_RETENTION.webhookDeliveriesDays + 1, 'failed') }

    // A batch of 1 makes every kind take several statements.
    await pruneExpired({ batch: 1, pauseMs: 0 })

    expect(await ids('messages', chosen.userId)).toEqual([chosenMessages.young, chosenMessages.recent, chosenMessages.youngWithOldMedia, chosenMessages.scheduled].sort())
    const media = await sql`select message_id from message_media where message_id in ${sql(Object.values(chosenMessages))}`
    expect(media.map((row) => row.message_id)).toEqual([chosenMessages.recent])
    expect(await ids('instance_events', chosen.userId)).toEqual([chosenEvents.young])
    expect(await ids('webhook_deliveries', chosen.userId)).toEqual([chosenDeliveries.oldPending, chosenDeliveries.young].sort())
    const attempts = await sql`select delivery_id from webhook_attempts where delivery_id in ${sql(Object.values(chosenDeliveries))}`
    expect(attempts.map((row) => row.delivery_id).sort()).toEqual([chosenDeliveries.oldPending, chosenDeliveries.young].sort())

    expect(await ids('messages', other.userId)).toEqual([...otherKept.messages].sort())
    expect(await sql`select 1 from message_media where message_id in ${sql(otherKept.messages)}`).toHaveLength(2)
    expect(await ids('instance_events', other.userId)).toEqual([...otherKept.events].sort())
    expect(await ids('webhook_deliveries', other.userId)).toEqual(otherKept.deliveries)
    expect(Object.values(otherOld)).not.toContain(undefined)
  })

  it('workers pruning at the same time split the work and delete each row once', async () => {
    const busy = await account()
    await saveRetention(busy.userId, { ...DEFAULT_RETENTION, messagesDays: 1 })
    await sql`
      insert into messages (instance_id, user_id, wa_id, remote_jid, from_me, message_type, message, message_timestamp, status, created_at)
      select ${busy.instanceId}, ${busy.userId}, 'bulk-' || n, '5511999990000@s.whatsapp.net', false, 'conversation', '{}', 1, 'READ', now() - interval '2 days'
      from generate_series(1, 3000) as n`
    const runs = await Promise.all([pruneExpired({ batch: 100, pauseMs: 0 }), pruneExpired({ batch: 100, pauseMs: 0 }), pruneExpired({ batch: 100, pauseMs: 0 })])
    expect(runs.reduce((sum, run) => sum + run.messages, 0)).toBe(3000)
    expect(await ids('messages', busy.userId)).toEqual([])
  })

  it('prunes spent idempotency keys, email links and rate-limit windows, keeping live ones', async () => {
    const owner = await account()
    const bucket = `key:${owner.userId}`
    await sql`insert into rate_limit_windows (bucket, window_start, hits) values (${bucket}, ${Date.now() - 2 * 60 * 60_000}, 3), (${bucket}, ${Date.now() - 60_000}, 2)`
    await sql`
      insert into idempotency_keys (user_id, key, request_hash, created_at, alive_at) values
        (${owner.userId}, 'spent', 'h', now() - interval '25 hours', now() - interval '25 hours'),
        (${owner.userId}, 'recent', 'h', now() - interval '1 hour', now() - interval '1 hour')`
    await sql`
      insert into email_tokens (user_id, purpose, token_hash, expires_at, used_at) values
        (${owner.userId}, 'verify_email', ${'used-' + owner.userId}, now() + interval '1 day', now() - interval '8 days'),
        (${owner.userId}, 'verify_email', ${'expired-' + owner.userId}, now() - interval '8 days', null),
        (${owner.userId}, 'reset_password', ${'live-' + owner.userId}, now() + interval '1 hour', null),
        (${owner.userId}, 'reset_password', ${'used-recently-' + owner.userId}, now() + interval '1 hour', now() - interval '1 day')`
    await pruneExpired({ pauseMs: 0 })
    expect((await sql`select key from idempotency_keys where user_id = ${owner.userId}`).map((row) => row.key)).toEqual(['recent'])
    const tokens = await sql`select token_hash from email_tokens where user_id = ${owner.userId} order by token_hash`
    expect(tokens.map((row) => row.token_hash)).toEqual([`live-${owner.userId}`, `used-recently-${owner.userId}`])
    expect((await sql`select hits from rate_limit_windows where bucket = ${bucket}`).map((row) => row.hits)).toEqual([2])
  })

  it('reads the defaults until the account chooses, and refuses settings outside the bounds naming the field', async () => {
    const owner = await account()
    expect(await readRetention(owner.userId)).toEqual({ messagesDays: 90, mediaDays: 90, eventsDays: 7, webhookDeliveriesDays: 30 })
    const refused = RetentionInput.safeParse({ messagesDays: '0', mediaDays: '90', eventsDays: '31', webhookDeliveriesDays: '1.5' })
    expect(refused.success).toBe(false)
    expect(refused.error!.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['eventsDays', 'messagesDays', 'webhookDeliveriesDays'])
    await expect(sql`insert into account_retention (user_id, events_days) values (${owner.userId}, 31)`).rejects.toThrow(/account_retention_events_range/)
  })
})
