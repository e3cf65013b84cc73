// Server half of WhatsApp's Noise XX handshake and the framed transport that follows it. The client half is
// node_modules/@whiskeysockets/baileys/lib/Utils/noise-handler.js; each step here mirrors one there.
import { createCipheriv, createDecipheriv, createHash, hkdfSync } from 'node:crypto'
import { proto } from '@whiskeysockets/baileys'
import { generateKeyPair, sharedKey, type KeyPair } from './curve.js'

const NOISE_MODE = Buffer.from('Noise_XX_25519_AESGCM_SHA256\0\0\0\0')
const WA_HEADER = Buffer.from([0x57, 0x41, 6, 3])

const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest()
const hkdf64 = (ikm: Uint8Array, salt: Uint8Array): Buffer => Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.alloc(0), 64))

function iv(counter: number): Buffer {
  const out = Buffer.alloc(12)
  out.writeUInt32BE(counter >>> 0, 8)
  return out
}

function gcmEncrypt(key: Buffer, counter: number, aad: Buffer, plain: Uint8Array): Buffer {
  const c = createCipheriv('aes-256-gcm', key, iv(counter))
  c.setAAD(aad)
  return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()])
}

function gcmDecrypt(key: Buffer, counter: number, aad: Buffer, data: Uint8Array): Buffer {
  const buf = Buffer.from(data)
  const d = createDecipheriv('aes-256-gcm', key, iv(counter))
  d.setAAD(aad)
  d.setAuthTag(buf.subarray(buf.length - 16))
  return Buffer.concat([d.update(buf.subarray(0, buf.length - 16)), d.final()])
}

export function frame(payload: Uint8Array): Buffer {
  const head = Buffer.alloc(3)
  head.writeUIntBE(payload.length, 0, 3)
  return Buffer.concat([head, payload])
}

/**
 * Reassembles the inbound byte stream into frames. The first bytes are the
 * intro header, optionally preceded by an "ED" routing-info block.
 */
export class FrameReader {
  private buf = Buffer.alloc(0)
  private introDone = false

  push(data: Uint8Array): Buffer[] {
    this.buf = Buffer.concat([this.buf, data])
    if (!this.introDone) {
      if (this.buf.length >= 7 && this.buf[0] === 0x45 && this.buf[1] === 0x44) {
        const len = (this.buf[4] << 16) | this.buf.readUInt16BE(5)
        if (this.buf.length < 7 + len + 4) return []
        this.buf = this.buf.subarray(7 + len)
      }
      if (this.buf.length < 4) return []
      if (!this.buf.subarray(0, 4).equals(WA_HEADER)) throw new Error('bad intro header')
      this.buf = this.buf.subarray(4)
      this.introDone = true
    }
    const frames: Buffer[] = []
    while (this.buf.length >= 3) {
      const size = this.buf.readUIntBE(0, 3)
      if (this.buf.length < 3 + size) break
      frames.push(Buffer.from(this.buf.subarray(3, 3 + size)))
      this.buf = this.buf.subarray(3 + size)
    }
    return frames
  }
}

export interface CertChainKeys {
  /** Encoded proto.CertChain, served unchanged to every connection. */
  certChain: Buffer
  staticKey: KeyPair
}

/** Handshake state for one connection; after `finish` it becomes a transport. */
export class NoiseServer {
  private h: Buffer = NOISE_MODE
  private ck: Buffer = NOISE_MODE
  private k: Buffer = NOISE_MODE
  private n = 0
  private ephemeral = generateKeyPair()
  private clientEphemeral?: Buffer
  private readKey?: Buffer
  private writeKey?: Buffer
  private readCounter = 0
  private writeCounter = 0
  clientStatic?: Buffer

  constructor(private readonly keys: CertChainKeys) {
    this.mixHash(WA_HEADER)
  }

  private mixHash(data: Uint8Array): void {
    this.h = sha256(Buffer.concat([this.h, data]))
  }

  private mixKey(ikm: Uint8Array): void {
    const out = hkdf64(ikm, this.ck)
    this.ck = out.subarray(0, 32)
    this.k = out.subarray(32)
    this.n = 0
  }

  private encrypt(plain: Uint8Array): Buffer {
    const c = gcmEncrypt(this.k, this.n++, this.h, plain)
    this.mixHash(c)
    return c
  }

  private decrypt(cipher: Uint8Array): Buffer {
    const p = gcmDecrypt(this.k, this.n++, this.h, cipher)
    this.mixHash(cipher)
    return p
  }

  /** ClientHello in, ServerHello (encoded HandshakeMessage) out. */
  serverHello(clientHelloFrame: Uint8Array): Buffer {
    const msg = proto.HandshakeMessage.decode(clientHelloFrame)
    const e = msg.clientHello?.ephemeral
    if (!e || e.length !== 32) throw new Error('ClientHello without ephemeral key')
    this.clientEphemeral = Buffer.from(e)
    this.mixHash(this.clientEphemeral)
    this.mixHash(this.ephemeral.public)
    this.mixKey(sharedKey(this.ephemeral.private, this.clientEphemeral))
    const staticEnc = this.encrypt(this.keys.staticKey.public)
    this.mixKey(sharedKey(this.keys.staticKey.private, this.clientEphemeral))
    const payload = this.encrypt(this.keys.certChain)
    return Buffer.from(
      proto.HandshakeMessage.encode({
        serverHello: { ephemeral: this.ephemeral.public, static: staticEnc, payload }
      }).finish()
    )
  }

  /**
   * ClientFinish in, decoded ClientPayload out. The client's static key is decrypted with the
   * counter left at 1 by the certificate payload, which is why this reuses the running counter
   * instead of resetting it: the client encrypted it right after decrypting that payload
   * (`processHandshake` in node_modules/@whiskeysockets/baileys/lib/Utils/noise-handler.js).
   */
  clientFinish(finishFrame: Uint8Array): InstanceType<typeof proto.ClientPayload> {
    const msg = proto.HandshakeMessage.decode(finishFrame)
    const fin = msg.clientFinish
    if (!fin?.static || !fin.payload) throw new Error('ClientFinish incomplete')
    this.clientStatic = this.decrypt(fin.static)
    this.mixKey(sharedKey(this.ephemeral.private, this.clientStatic))
    const payload = proto.ClientPayload.decode(this.decrypt(fin.payload))
    const out = hkdf64(Buffer.alloc(0), this.ck)
    this.readKey = out.subarray(0, 32)
    this.writeKey = out.subarray(32)
    return payload
  }

  decryptTransport(data: Uint8Array): Buffer {
    if (!this.readKey) throw new Error('transport not ready')
    return gcmDecrypt(this.readKey, this.readCounter++, Buffer.alloc(0), data)
  }

  encryptTransport(data: Uint8Array): Buffer {
    if (!this.writeKey) throw new Error('transport not ready')
    return gcmEncrypt(this.writeKey, this.writeCounter++, Buffer.alloc(0), data)
  }
}
