// Media in object storage (S3_BUCKET) on one real stack, against s3rver started here behind a proxy
// that can refuse writes: sends from an upload and from a URL, received media, downloads through
// GET messages/{id}/media, `sage media:move-to-s3` (interrupted, resumed, run again), a bucket that
// refuses uploads (a clear 503, nothing lost, the instance fine), retention and account deletion
// leaving no object behind.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import postgres from 'postgres'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'
import { startTestSimulator } from './support/simulator'
import { eventually } from '@/test-support/eventually'
import { createVerifiedAccount } from '@/test-support/accounts'
import { dataPlane } from '@/test-support/data-plane'
import { mintKey, runCliInBackground } from '@/test-support/cli'
import { pairInstance } from '@/test-support/pairing'
import { startTestS3 } from '@/test-support/s3'

vi.setConfig({ testTimeout: 120_000 })

const database = await useTestDatabase()
const s3 = await startTestS3()
afterAll(s3.stop)
const sim = await startTestSimulator()
const stack = await startStack({ databaseUrl: database.url, env: { ...sim.env, ...s3.env } })
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end({ timeout: 5 }))

const account = await createVerifiedAccount(database.url, { instances: ['media-shop'] })
const key = mintKey(stack, account.email, '--rate-limit', '10000')
const api = dataPlane(stack, key)
const OWN = '15552220000'
const ALICE = '919812340000'
await sim.client.createAccount(ALICE, 'Alice')
await pairInstance(api, sim, 'media-shop', OWN)
const [instance] = await sql`select id from instances where user_id = ${account.userId}`
const prefix = `media/${account.userId}/${instance.id}/`

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

const post = (path: string, body: unknown) => api(`media-shop/${path}`, { method: 'POST', body: JSON.stringify(body) })

async function download(waId: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const response = await fetch(`${stack.baseUrl}/api/v1/instance/media-shop/messages/${waId}/media`, { headers: { authorization: `Bearer ${key}` } })
  return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) }
}

async function aliceGot(id: string) {
  return eventually(async () => (await sim.client.messages(ALICE, { from: OWN })).find((message) => message.id === id), 15_000)
}

/** Where the message's media is: its row's bytes or object key. */
async function mediaRow(waId: string) {
  const [row] = await sql`
    select media.data, media.storage_key from message_media media join messages on messages.id = media.message_id
    where messages.instance_id = ${instance.id} and messages.wa_id = ${waId}`
  return row as { data: Buffer | null; storage_key: string | null; message_id?: string } | undefined
}

const pixelServer = http.createServer((_request, response) => response.writeHead(200, { 'content-type': 'image/png' }).end(PNG))
await new Promise<void>((resolve) => pixelServer.listen(0, '127.0.0.1', resolve))
afterAll(() => new Promise((resolve) => pixelServer.close(resolve)))
const pixelUrl = `http://127.0.0.1:${(pixelServer.address() as AddressInfo).port}/pixel.png`

describe('media round-trips through the bucket', () => {
  it('an uploaded file goes to the bucket, reaches the contact and downloads through our endpoint', async () => {
    const form = new FormData()
    form.set('number', ALICE)
    form.set('mediatype', 'document')
    form.set('file', new Blob([Buffer.from('%PDF-1.4 stored in a bucket')], { type: 'application/pdf' }), 'bucket.pdf')
    const response = await api('media-shop/message/sendMedia', { method: 'POST', body: form })
    expect(response.status, JSON.stringify(response.body)).toBe(201)
    const received = await aliceGot(response.body.key.id)
    expect(Buffer.from(received.media!.base64, 'base64').toString()).toBe('%PDF-1.4 stored in a bucket')
    const row = await mediaRow(response.body.key.id)
    expect(row?.data).toBeNull()
    expect(row?.storage_key).toMatch(new RegExp(`^${prefix}[0-9a-f-]{36}$`))
    expect(await s3.keys(prefix)).toContain(row!.storage_key)
    const served = await download(response.body.key.id)
    expect(served.status).toBe(200)
    expect(served.type).toBe('application/pdf')
    expect(served.bytes.toString()).toBe('%PDF-1.4 stored in a bucket')
  })

  it('media fetched from a URL by the worker goes to the bucket too', async () => {
    const response = await post('message/sendMedia', { number: ALICE, mediatype: 'image', media: pixelUrl, caption: 'from a url' })
    expect(response.status, JSON.stringify(response.body)).toBe(201)
    const received = await aliceGot(response.body.key.id)
    expect(Buffer.from(received.media!.base64, 'base64').equals(PNG)).toBe(true)
    const row = await mediaRow(response.body.key.id)
    expect(row?.data).toBeNull()
    expect(await s3.keys(prefix)).toContain(row!.storage_key)
    const served = await download(response.body.key.id)
    expect(served.status).toBe(200)
    expect(served.bytes.equals(PNG)).toBe(true)
  })

  it('received media is kept in the bucket on its first download and served from there', async () => {
    const bytes = Buffer.from('a received file, kept in the bucket')
    const sent = await sim.client.send(ALICE, { to: OWN, media: { type: 'document', base64: bytes.toString('base64'), mimetype: 'text/plain', fileName: 'in.txt' } })
    await eventually(async () => (await sql`select 1 from instance_events where event = 'MESSAGES_UPSERT' and data->'key'->>'id' = ${sent.id}`)[0], 15_000)
    const first = await download(sent.id)
    expect(first.status, `${first.bytes} ${JSON.stringify(await sql`select instance_id, wa_id, media from messages where wa_id = ${sent.id}`)}`).toBe(200)
    expect(first.bytes.equals(bytes)).toBe(true)
    const row = await mediaRow(sent.id)
    expect(row?.data).toBeNull()
    expect(await s3.keys(prefix)).toContain(row!.storage_key)
    expect((await download(sent.id)).bytes.equals(bytes)).toBe(true)
  })
})

describe('a bucket that refuses writes', () => {
  it('fails sends with media with 503 media_storage_unavailable, loses no message, and the instance stays healthy', async () => {
    s3.refuseWrites(true)
    try {
      const countBefore = (await sql`select count(*)::int as n from messages where instance_id = ${instance.id}`)[0].n
      const upload = await post('message/sendMedia', { number: ALICE, mediatype: 'image', media: PNG.toString('base64'), caption: 'refused upload' })
      expect(upload.status).toBe(503)
      expect(upload.body.error).toBe('media_storage_unavailable')
      expect(upload.body.message).toMatch(/media store refused to store the file \(AccessDenied.*not sent/)
      // Refused before anything was recorded: the sender knows it was not sent, and nothing half-made is left.
      expect((await sql`select count(*)::int as n from messages where instance_id = ${instance.id}`)[0].n).toBe(countBefore)

      const fromUrl = await post('message/sendMedia', { number: ALICE, mediatype: 'image', media: pixelUrl, caption: 'refused url' })
      expect(fromUrl.status).toBe(503)
      expect(fromUrl.body.error).toBe('media_storage_unavailable')
      // Recorded as a failed send with its reason, announced, never silently dropped.
      const [failed] = await sql`select status, error_code, error_message from messages where instance_id = ${instance.id} and message->'imageMessage'->>'caption' = 'refused url'`
      expect(failed).toMatchObject({ status: 'ERROR', error_code: 'media_storage_unavailable' })
      const details = await api(`media-shop/messages/${(await sql`select wa_id from messages where message->'imageMessage'->>'caption' = 'refused url'`)[0].wa_id}`)
      expect(details.body.error).toMatchObject({ code: 'media_storage_unavailable' })

      const text = await post('message/sendText', { number: ALICE, text: 'still here' })
      expect(text.status).toBe(201)
      await aliceGot(text.body.key.id)
      expect((await api('media-shop/connectionState')).body).toMatchObject({ instance: { state: 'open' } })
    } finally {
      s3.refuseWrites(false)
    }
    const retried = await post('message/sendMedia', { number: ALICE, mediatype: 'image', media: PNG.toString('base64'), caption: 'after the bucket came back' })
    expect(retried.status).toBe(201)
  })
})

describe('sage media:move-to-s3', () => {
  it('moves media kept in Postgres to the bucket: interrupted by a refusing bucket, resumed, and run again safely', async () => {
    // Media from before S3_BUCKET was set: bytes in Postgres rows.
    const files = Array.from({ length: 5 }, (_, index) => Buffer.from(`old file ${index}`))
    const waIds: string[] = []
    for (const [index, bytes] of files.entries()) {
      const waId = `OLDMEDIA${index}`
      const [message] = await sql`
        insert into messages (instance_id, user_id, wa_id, remote_jid, from_me, message_type, message, message_timestamp, status, media)
        values (${instance.id}, ${account.userId}, ${waId}, ${`${ALICE}@s.whatsapp.net`}, false, 'documentMessage', '{"documentMessage":{}}', 1700000000, 'READ',
          ${sql.json({ mimetype: 'text/plain', fileName: `old-${index}.txt`, size: bytes.length })})
        returning id`
      await sql`insert into message_media (message_id, data, mimetype, file_name) values (${message.id}, ${bytes}, 'text/plain', ${`old-${index}.txt`})`
      waIds.push(waId)
    }
    const env = stack.env

    s3.refuseWrites(true, 2)
    const interrupted = await runCliInBackground(env, 'media:move-to-s3')
    s3.refuseWrites(false)
    expect(interrupted.status).toBe(1)
    expect(interrupted.stderr).toMatch(/media store refused to store the file \(AccessDenied.*run the command again/)
    // Every file is whole somewhere: two moved, the rest still in Postgres, and each still downloads.
    const afterInterruption = await Promise.all(waIds.map(mediaRow))
    expect(afterInterruption.filter((row) => row?.storage_key).length).toBe(2)
    expect(afterInterruption.filter((row) => row?.data).length).toBe(3)
    for (const [index, waId] of waIds.entries()) expect((await download(waId)).bytes.equals(files[index])).toBe(true)

    const resumed = await runCliInBackground(env, 'media:move-to-s3')
    expect(resumed.status, resumed.stderr).toBe(0)
    expect(resumed.stdout).toContain('Moved 3 media files to the bucket')
    const moved = await Promise.all(waIds.map(mediaRow))
    expect(moved.every((row) => row?.data === null && row.storage_key)).toBe(true)
    expect(await s3.keys(prefix)).toEqual(expect.arrayContaining(moved.map((row) => row!.storage_key)))
    expect((await sql`select count(*)::int as n from message_media where data is not null`)[0].n).toBe(0)

    const again = await runCliInBackground(env, 'media:move-to-s3')
    expect(again.status, again.stderr).toBe(0)
    expect(again.stdout).toContain('Moved 0 media files')
    for (const [index, waId] of waIds.entries()) {
      const served = await download(waId)
      expect(served.status).toBe(200)
      expect(served.bytes.equals(files[index])).toBe(true)
    }
  })

  it('refuses to run without S3_BUCKET', async () => {
    const result = await runCliInBackground({ ...stack.env, S3_BUCKET: '' }, 'media:move-to-s3')
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('S3_BUCKET is not set')
  })
})

describe('letting media go', () => {
  it('retention deletes the bucket objects of the media it prunes, and nothing younger', async () => {
    const [old] = await sql`select message_id, storage_key from message_media where storage_key like ${prefix + '%'} limit 1`
    await sql`update message_media set created_at = now() - interval '100 days' where message_id = ${old.message_id}`
    const young = (await s3.keys(prefix)).filter((objectKey) => objectKey !== old.storage_key)
    expect(young.length).toBeGreaterThan(3)
    // The worker prunes hourly (and at start); a fresh run here does the same work now.
    const counts = await pruneInThisProcess()
    expect(counts.media).toBe(1)
    expect(await s3.keys(prefix)).not.toContain(old.storage_key)
    expect(await s3.keys(prefix)).toEqual(expect.arrayContaining(young))
  })

  it('deleting the account leaves no object of it in the bucket, and another account’s objects stay', async () => {
    const other = await createVerifiedAccount(database.url, { instances: ['other-shop'] })
    const otherKey = `media/${other.userId}/unrelated/object`
    s3.refuseWrites(false)
    await putObject(otherKey)
    expect((await s3.keys(`media/${account.userId}/`)).length).toBeGreaterThan(3)
    const deleted = await runCliInBackground(stack.env, 'user:delete', '--email', account.email)
    expect(deleted.status, deleted.stderr).toBe(0)
    expect(await s3.keys(`media/${account.userId}/`)).toEqual([])
    expect(await s3.keys(`media/${other.userId}/`)).toEqual([otherKey])
  })
})

async function pruneInThisProcess() {
  Object.assign(process.env, s3.env)
  const { pruneExpired } = await import('@/lib/retention/prune')
  return pruneExpired({ pauseMs: 0 })
}

async function putObject(objectKey: string) {
  const { PutObjectCommand, S3Client } = await import('@aws-sdk/client-s3')
  const client = new S3Client({ endpoint: s3.env.S3_ENDPOINT, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } })
  await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: objectKey, Body: 'x' }))
  client.destroy()
}
