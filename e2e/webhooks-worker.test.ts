// Webhooks through the real worker: WhatsApp activity → events → signed deliveries to a receiver.
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { eventually } from '@/test-support/eventually'
import { startStack } from './support/stack'
import { createVerifiedAccount } from '@/test-support/accounts'
import { startTestSimulator } from './support/simulator'
import { dataPlane } from '@/test-support/data-plane'
import { mintKey, runCli } from '@/test-support/cli'
import { pairInstance } from '@/test-support/pairing'
import { startReceiver } from './support/webhook-receiver'
import { verifySageWebhook } from '@/test-support/sage-verify'

const receiver = await startReceiver(() => ({ status: 204 }))
/** Every delivery so far, with its body parsed. */
const received = () => receiver.received.map((request) => ({ ...request, body: JSON.parse(request.rawBody) }))

const database = await useTestDatabase()
const sim = await startTestSimulator()
const stack = await startStack({ databaseUrl: database.url, env: sim.env })
const account = await createVerifiedAccount(database.url, { instances: ['shop'] })
const api = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '1000'))

const created = runCli(stack.env, 'webhook:create', '--email', account.email, '--url', receiver.url,
  '--events', 'MESSAGES_UPSERT,SEND_MESSAGE_UPDATE,CONNECTION_UPDATE,QRCODE_UPDATED')
const secret = created.lastLine

const OWN = '15552220000'
const BOB = '447700900123'

describe('webhooks from the real worker', () => {
  it('delivers QRCODE_UPDATED and CONNECTION_UPDATE while pairing', async () => {
    expect(created.status, created.stderr).toBe(0)
    await pairInstance(api, sim, 'shop', OWN)
    const open = await eventually(async () => received().find((d) => d.body.event === 'CONNECTION_UPDATE' && d.body.data.state === 'open'), 15_000)
    expect(received().some((d) => d.body.event === 'QRCODE_UPDATED' && d.body.data.qrcode.code)).toBe(true)
    expect(open.headers['x-sage-instance']).toBe('shop')
    expect(open.headers['x-sage-event']).toBe('CONNECTION_UPDATE')
    expect(verifySageWebhook(open, secret)).toBe(true)
  })

  it('delivers an incoming message as MESSAGES_UPSERT in the documented shape, signed', async () => {
    const startedAt = Date.now()
    const sent = await sim.client.send(BOB, { to: OWN, text: 'Is my order shipped?' })
    const delivery = await eventually(async () => received().find((d) => d.body.event === 'MESSAGES_UPSERT' && d.body.data.key?.id === sent.id), 15_000, 20)
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
      const seen = received().filter((d) => d.body.event === 'SEND_MESSAGE_UPDATE' && d.body.data.key.id === id).map((d) => d.body.data.status)
      return seen.includes('READ') ? seen : undefined
    }, 15_000)
    expect(statuses).toEqual(expect.arrayContaining(['SERVER_ACK', 'DELIVERY_ACK', 'READ']))
    const deliveryIds = received().map((d) => d.headers['x-sage-delivery'])
    expect(new Set(deliveryIds).size).toBe(deliveryIds.length)
  })
})
