// Retry receipts between the real Baileys and simulated phones (README.md, "Retries").
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { proto } from '@whiskeysockets/baileys'
import type { Simulator } from './simulator.js'
import type { SimulatorClient } from './client.js'
import { TestInstance, startWithInstance, stopWithInstance } from './test-harness.js'

const INSTANCE = '15550007001'
const RITA = '15550007002'
const OMAR = '15550007003'
const CIPHERTEXT = proto.WebMessageInfo.StubType.CIPHERTEXT

const textIn = (m: Record<string, unknown>): string | undefined =>
  (m.conversation as string | undefined) ?? (m.extendedTextMessage as { text?: string } | undefined)?.text

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = await probe()
    if (found !== undefined) return found
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('retry receipts', () => {
  let sim: Simulator
  let api: SimulatorClient
  let inst: TestInstance

  beforeAll(async () => ({ sim, api, inst } = await startWithInstance({ contacts: [[RITA, 'Rita'], [OMAR, 'Omar']], pairAs: { phone: INSTANCE } })), 30_000)
  afterAll(() => stopWithInstance({ sim, inst }))

  const inboxHas = (phone: string, id: string) => until(async () => (await api.messages(phone)).find((m) => m.id === id), `${id} in ${phone}'s inbox`)

  it('a phone that cannot decrypt asks for a retry, and decrypts the copy Baileys sends again with the same id', async () => {
    await api.failDecrypts(RITA, { count: 1 })
    const sent = await inst.sock!.sendMessage(`${RITA}@s.whatsapp.net`, { text: 'first try fails' })
    const id = sent!.key.id!
    expect(textIn((await inboxHas(RITA, id)).message)).toBe('first try fails')
    const { requests, undecrypted } = await api.retries(RITA)
    expect(undecrypted.map((copy) => copy.id)).toEqual([id])
    expect(requests).toMatchObject([{ id, to: `${INSTANCE}:1@s.whatsapp.net`, count: 1, keys: false }])
  })

  it('a second failure sends a retry with keys; Baileys starts a new session from them and the third copy decrypts', async () => {
    await api.failDecrypts(RITA, { count: 2 })
    const sent = await inst.sock!.sendMessage(`${RITA}@s.whatsapp.net`, { text: 'third time lucky' })
    const id = sent!.key.id!
    expect(textIn((await inboxHas(RITA, id)).message)).toBe('third time lucky')
    const requests = (await api.retries(RITA)).requests.filter((request) => request.id === id)
    expect(requests.map(({ count, keys }) => ({ count, keys }))).toEqual([{ count: 1, keys: false }, { count: 2, keys: true }])
  })

  it('a retry asked for later (retry: false, then requestRetry) is answered too', async () => {
    await api.failDecrypts(RITA, { count: 1, retry: false })
    const sent = await inst.sock!.sendMessage(`${RITA}@s.whatsapp.net`, { text: 'asked for later' })
    const id = sent!.key.id!
    await until(async () => ((await api.retries(RITA)).undecrypted.some((copy) => copy.id === id) ? true : undefined), 'the failed copy')
    expect((await api.messages(RITA)).some((m) => m.id === id)).toBe(false)
    expect(await api.requestRetry(RITA, id)).toMatchObject({ id, count: 1, status: 'sent' })
    expect(textIn((await inboxHas(RITA, id)).message)).toBe('asked for later')
  })

  it('an unreadable message reaches Baileys as a CIPHERTEXT stub; its retry receipt gets the readable copy with the same id', async () => {
    const start = inst.log.length
    const { id } = await api.send(OMAR, { to: INSTANCE, text: 'readable on the second try', undecryptable: {} })
    const stub = await inst.log.waitFor('messages.upsert', (u) => u.messages.some((m) => m.key.id === id && m.messageStubType === CIPHERTEXT), 10_000, start)
    expect(stub.messages.find((m) => m.key.id === id)?.message ?? undefined).toBeUndefined()
    const readable = await inst.log.waitFor('messages.upsert', (u) => u.messages.some((m) => m.key.id === id && !!m.message), 10_000, start)
    expect(readable.messages.find((m) => m.key.id === id)?.message?.conversation).toBe('readable on the second try')
    expect((await api.receipts(OMAR)).filter((r) => r.id === id && r.type === 'retry')).toMatchObject([{ count: 1 }])
  })

  it('unreadable twice: Baileys asks again with keys, and the phone answers with a new session', async () => {
    const start = inst.log.length
    const { id } = await api.send(OMAR, { to: INSTANCE, text: 'after a new session', undecryptable: { times: 2 } })
    const readable = await inst.log.waitFor('messages.upsert', (u) => u.messages.some((m) => m.key.id === id && !!m.message), 10_000, start)
    expect(readable.messages.find((m) => m.key.id === id)?.message?.conversation).toBe('after a new session')
    const retries = (await api.receipts(OMAR)).filter((r) => r.id === id && r.type === 'retry')
    expect(retries.map(({ count, keys }) => ({ count, keys }))).toEqual([{ count: 1, keys: false }, { count: 2, keys: true }])
  })

  it('with resend: false the retry receipt is recorded and nothing readable ever comes; the next message still decrypts', async () => {
    const start = inst.log.length
    const { id } = await api.send(OMAR, { to: INSTANCE, text: 'never readable', undecryptable: { resend: false } })
    await inst.log.waitFor('messages.upsert', (u) => u.messages.some((m) => m.key.id === id && m.messageStubType === CIPHERTEXT), 10_000, start)
    await until(async () => ((await api.receipts(OMAR)).some((r) => r.id === id && r.type === 'retry') ? true : undefined), 'the retry receipt')
    const next = await api.send(OMAR, { to: INSTANCE, text: 'behind it' })
    await inst.log.waitFor('messages.upsert', (u) => u.messages.some((m) => m.key.id === next.id && !!m.message), 10_000, start)
    const upserts = inst.log.entries.slice(start).filter((e) => e.event === 'messages.upsert')
    expect(upserts.flatMap((e) => (e.data as { messages: { key: { id?: string | null }; message?: unknown }[] }).messages).filter((m) => m.key.id === id && m.message)).toEqual([])
  })
})
