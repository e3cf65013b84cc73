// At least once: a dispatcher SIGKILLed in the middle of deliveries loses none of them.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { createVerifiedAccount } from '@/test-support/accounts'
import { startReceiver } from './support/webhook-receiver'
import { verifySageWebhookInPython } from '@/test-support/sage-verify'
import { stopChild } from '@/lib/runtime/processes'

const database = await useTestDatabase()
const env = {
  ...process.env,
  DATABASE_URL: database.url,
  SAGE_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_RETRY_SCHEDULE_MS: '200,400',
  WEBHOOK_TIMEOUT_MS: '3000',
  WEBHOOK_STALE_LOCK_MS: '1000', // raised to timeout + 2 s by the dispatcher itself
  SAGE_SERVICE: 'worker',
  LOG_LEVEL: 'warn',
}
process.env.SAGE_ENCRYPTION_KEY = env.SAGE_ENCRYPTION_KEY
process.env.WEBHOOK_ALLOW_PRIVATE_URLS = 'true'

const { sqlClient } = await import('@/lib/db')
const { recordEvent } = await import('@/lib/store/events')
const { createWebhookEndpoint } = await import('@/lib/services/webhooks/endpoints')
const sql = sqlClient()

const children: ChildProcess[] = []
afterAll(async () => {
  await Promise.all(children.map((child) => stopChild(child)))
})

async function startDispatcherProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', path.join(import.meta.dirname, 'support/webhook-dispatcher.ts')], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let output = ''
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk
      if (output.includes('dispatcher ready')) resolve()
    })
    child.stderr!.on('data', (chunk) => (output += chunk))
    child.once('exit', (code) => reject(new Error(`dispatcher exited (${code}): ${output}`)))
  })
  return child
}

describe('a dispatcher killed mid-delivery', () => {
  it('delivers every event after a restart, with the same delivery ids', async () => {
    let hang = true
    const receiver = await startReceiver(() => (hang ? 'hang' : { status: 200, body: 'ok' }))
    const account = await createVerifiedAccount(database.url, { instances: ['crash-test'] })
    const [instance] = await sql`select id from instances where user_id = ${account.userId}`
    const { secret, id: endpointId } = await createWebhookEndpoint({ ctx: { userId: account.userId }, input: { url: receiver.url } })
    const identity = { id: instance.id, userId: account.userId, name: 'crash-test' }

    const first = await startDispatcherProcess()
    for (let i = 0; i < 3; i++) await sql.begin((tx) => recordEvent(tx, identity, 'CONNECTION_UPDATE', { state: 'open', n: i }))
    const inFlight = await receiver.waitFor(3)
    first.kill('SIGKILL')
    await new Promise((resolve) => first.once('exit', resolve))
    const ids = new Set(inFlight.map((r) => r.headers['x-sage-delivery']))
    expect(ids.size).toBe(3)
    // Nothing was recorded for the attempts the kill cut short.
    const [{ n }] = await sql`select count(*)::int as n from webhook_attempts`
    expect(n).toBe(0)

    hang = false
    await startDispatcherProcess()
    const all = await receiver.waitFor(6, 30_000)
    const redelivered = all.slice(3)
    expect(new Set(redelivered.map((r) => r.headers['x-sage-delivery']))).toEqual(ids)
    for (const request of redelivered) expect(await verifySageWebhookInPython(request.headers, request.rawBody, secret)).toBe(true)
    const deadline = Date.now() + 10_000
    let rows: { status: string; attempts: number }[] = []
    while (Date.now() < deadline) {
      rows = await sql`select status, attempts from webhook_deliveries where endpoint_id = ${endpointId}`
      if (rows.every((row) => row.status === 'succeeded')) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(rows).toEqual([1, 2, 3].map(() => ({ status: 'succeeded', attempts: 1 })))
  })
})
