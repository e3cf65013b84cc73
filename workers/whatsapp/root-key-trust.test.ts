// withRootKey: one process, two sockets at once, each checking its server's certificate chain
// against its own root key (the sandbox's, and the process's). Measured where Baileys reads it: the
// handshake's read of WA_CERT_DETAILS.PUBLIC_KEY (lib/Utils/noise-handler.js).
import { afterAll, describe, expect, it } from 'vitest'
import pino from 'pino'
import makeWASocket, { initAuthCreds, WA_CERT_DETAILS, type WASocket } from '@whiskeysockets/baileys'
import { SANDBOX_ROOT_SEED, startSimulator } from '@/simulator/index'
import { trustRootKey, withRootKey } from './root-key-trust'

const whatsappLike = await startSimulator()
const sandbox = await startSimulator({ rootSeed: SANDBOX_ROOT_SEED })
const sockets: WASocket[] = []
afterAll(async () => {
  for (const socket of sockets) socket.end(undefined)
  await whatsappLike.stop()
  await sandbox.stop()
})

function socketTo(wsUrl: string): Promise<void> {
  const keys: Record<string, Record<string, unknown>> = {}
  const socket = makeWASocket({
    waWebSocketUrl: wsUrl,
    logger: pino({ level: 'silent' }),
    auth: {
      creds: initAuthCreds(),
      keys: {
        get: async (type, ids) => Object.fromEntries(ids.map((id) => [id, keys[type]?.[id]])) as never,
        set: async (data) => {
          for (const [type, values] of Object.entries(data)) Object.assign((keys[type] ??= {}), values)
        },
      },
    },
  })
  sockets.push(socket)
  // A QR means the handshake, certificate check included, is done.
  return new Promise((resolve) => socket.ev.on('connection.update', (update) => update.qr && resolve()))
}

describe('withRootKey', () => {
  it('gives a socket its own root key while the process keeps its own for the others', async () => {
    trustRootKey({ rootPublicKeyHex: whatsappLike.rootPublicKeyHex })
    expect(sandbox.rootPublicKeyHex).not.toBe(whatsappLike.rootPublicKeyHex)
    withRootKey(sandbox.rootPublicKeyHex, () => undefined) // installs the per-socket getter

    const reads: { key: string; stack: string }[] = []
    const descriptor = Object.getOwnPropertyDescriptor(WA_CERT_DETAILS, 'PUBLIC_KEY')!
    Object.defineProperty(WA_CERT_DETAILS, 'PUBLIC_KEY', {
      configurable: true,
      get: () => {
        const key = descriptor.get!.call(WA_CERT_DETAILS) as Uint8Array
        reads.push({ key: Buffer.from(key).toString('hex'), stack: new Error().stack ?? '' })
        return key
      },
      set: descriptor.set,
    })
    try {
      await Promise.all([withRootKey(sandbox.rootPublicKeyHex, () => socketTo(sandbox.wsUrl)), socketTo(whatsappLike.wsUrl), withRootKey(sandbox.rootPublicKeyHex, () => socketTo(sandbox.wsUrl))])
    } finally {
      Object.defineProperty(WA_CERT_DETAILS, 'PUBLIC_KEY', descriptor)
    }
    const handshakeReads = reads.filter((read) => read.stack.includes('noise-handler'))
    expect(handshakeReads.map((read) => read.key).sort()).toEqual([sandbox.rootPublicKeyHex, sandbox.rootPublicKeyHex, whatsappLike.rootPublicKeyHex].sort())
    // Outside any socket's context the process's key is unchanged.
    expect(Buffer.from(WA_CERT_DETAILS.PUBLIC_KEY).toString('hex')).toBe(whatsappLike.rootPublicKeyHex)
  })
})
