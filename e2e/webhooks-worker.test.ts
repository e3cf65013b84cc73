// Webhooks through the real worker: WhatsApp activity → events → signed deliveries to a receiver.
import http from 'node:http'
import crypto from 'node:crypto'
import { spawnSync } from 'node:child_process'
import type { AddressInfo } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { eventually, startStack } from './support/stack'
import { createVerifiedAccount } from './support/fixtures'
import { startTestSimulator } from './support/simulator'
import { dataPlane, mintKey, pairInstance } from './support/whatsapp'

type Delivery = { headers: http.IncomingHttpHeaders; rawBody: string; body: { event: string; instance: string; id: string; timestamp: string; data: any } }

const received: Delivery[] = []
const receiver = http.createServer((request, response) => {
  const chunks: Buffer[] = []
  request.on('data', (chunk) => chunks.push(chunk))
  request.on('end', () => {
    const rawBody = Buffer.concat(chunks).toString()
    received.push({ headers: request.headers, rawBody, body: JSON.parse(rawBody) })
    response.writeHead(204).end()
  })
})
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
afterAll(() => new Promise((resolve) => receiver.close(resolve)))

const database = await useTestDatabase()
const sim = await startTestSimulator()
const stack = await startStack({ databaseUrl: database.url, env: sim.env })
const account = await createVerifiedAccount(database.url, { instances: ['shop'] })
const api = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '1000'))

const created = spawnSync(
  process.execPath,
  ['bin/sage.mjs', 'webhook:create', '--email', account.email, '--url', `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
    '--events', 'MESSAGES_UPSERT,SEND_MESSAGE_UPDATE,CONNECTION_UPDATE,QRCODE_UPDATED'],
  { env: stack.env as unknown as NodeJS.ProcessEnv, encoding: 'utf8' },
)
const secret = created.stdout.trim().split('\n').at(-1)!

/** The seed's Node verification snippet, verbatim in logic. */
function verifySageWebhook(req: { headers: http.IncomingHttpHeaders; rawBody: string }, key: string): boolean {
  const ts = req.headers['x-sage-timestamp'] as string
  const sig = req.headers['x-sage-signature'] as string
  if (!ts || !sig?.startsWith('sha256=')) return false
  if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false
  const expected = crypto.createHmac('sha256', key).update(`${ts}.${req.rawBody}`).digest('hex')
  return crypto.timingSafeEqual(Buffer.from(sig.slice(7), 'hex'), Buffer.from(expected, 'hex'))
}

const OWN = '15552220000'
const BOB = '447700900123'

describe('webhooks from the real worker', () => {
  it('delivers QRCODE_UPDATED and CONNECTION_UPDATE while pairing', async () => {
    expect(created.status, created.stderr).toBe(0)
    await pairInstance(api, sim, 'shop', OWN)
    const open = await eventually(async () => received.find((d) => d.body.event === 'CONNECTION_UPDATE' && d.body.data.state === 'open'), 15_000)
    expect(received.some((d) => d.body.event === 'QRCODE_UPDATED' && d.body.data.qrcode.code)).toBe(true)
    expect(open.headers['x-sage-instance']).toBe('shop')
    expect(open.headers['x-sage-event']).toBe('CONNECTION_UPDATE')
    expect(verifySageWebhook(open, secret)).toBe(true)
  })

  it('delivers an incoming message as MESSAGES_UPSERT in the seed shape, signed', async () => {
    const startedAt = Date.now()
    const sent = await sim.client.send(BOB, { to: OWN, text: 'Is my order shipped?' })
    const delivery = await eventually(async () => received.find((d) => d.body.event === 'MESSAGES_UPSERT' && d.body.data.key?.id === sent.id), 15_000, 20)
    expect(Date.now() - startedAt).toBeLessThan(5000)
    expect(delivery.body).toMatchObject({
      event: 'MESSAGES_UPSERT',
      instance: 'shop',
      id: expect.any(String),
      timestamp: expect.any(String),
      data: { key: { remoteJid: `${BOB}@s.whatsapp.net`, fromMe: false, id: sent.id }, messageType: expect.any(String), messageTimestamp: expect.any(Number) },
    })
    expect(JSON.stringify(delivery.body.data.message)).toContain('Is my order shipped?')
    expect(verifySageWebhook(delivery, secret)).toBe(true)
    expect(verifySageWebhook({ ...delivery, rawBody: delivery.rawBody.replace('shipped', 'shipper') }, secret)).toBe(false)
  })

  it('follows an API send with SEND_MESSAGE_UPDATE for each receipt', async () => {
    const response = await api('shop/message/sendText', { method: 'POST', body: JSON.stringify({ number: BOB, text: 'Yes, it ships today.' }) })
    expect(response.status).toBe(201)
    const id = response.body.key.id
    const statuses = await eventually(async () => {
      const seen = received.filter((d) => d.body.event === 'SEND_MESSAGE_UPDATE' && d.body.data.key.id === id).map((d) => d.body.data.status)
      return seen.includes('READ') ? seen : undefined
    }, 15_000)
    expect(statuses).toEqual(expect.arrayContaining(['SERVER_ACK', 'DELIVERY_ACK', 'READ']))
    const deliveryIds = received.map((d) => d.headers['x-sage-delivery'])
    expect(new Set(deliveryIds).size).toBe(deliveryIds.length)
  })
})
