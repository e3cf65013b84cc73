// A simulated device's Signal state (libsignal, wire-compatible with Baileys).
import libsignal from 'libsignal'
import { unpadRandomMax16, encodeWAMessage, proto } from '@whiskeysockets/baileys'
import { signalCurve } from './curve.js'
import type { SignalDeviceState } from './state.js'

const { SessionBuilder, SessionCipher, SessionRecord, ProtocolAddress } = libsignal

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')
const buf = (s: string): Buffer => Buffer.from(s, 'base64')

const PRE_KEY_BATCH = 30

export interface PreKeyBundle {
  registrationId: number
  identity: Buffer // 32 bytes
  signedPreKey: { keyId: number; pub: Buffer; signature: Buffer }
  preKey?: { keyId: number; pub: Buffer }
}

function addPreKeys(state: SignalDeviceState, count: number): void {
  for (let i = 0; i < count; i++) {
    const id = state.nextPreKeyId++
    const kp = signalCurve.generateKeyPair()
    state.preKeys[id] = { pub: b64(kp.pubKey), priv: b64(kp.privKey) }
    state.unservedPreKeys.push(id)
  }
}

export function newSignalDeviceState(): SignalDeviceState {
  const identity = signalCurve.generateKeyPair()
  const spk = signalCurve.generateKeyPair()
  const state: SignalDeviceState = {
    registrationId: (Math.floor(Math.random() * 16380) + 1),
    identityPub: b64(identity.pubKey),
    identityPriv: b64(identity.privKey),
    // Signal signs the 33-byte form of the pre-key (0x05 ‖ key), which is what libsignal's pubKey is;
    // signing the 32 raw bytes would give a signature no real client accepts.
    signedPreKey: { keyId: 1, pub: b64(spk.pubKey), priv: b64(spk.privKey), signature: b64(signalCurve.calculateSignature(identity.privKey, spk.pubKey)) },
    preKeys: {},
    unservedPreKeys: [],
    nextPreKeyId: 1,
    sessions: {}
  }
  addPreKeys(state, PRE_KEY_BATCH)
  return state
}

export type SignalAddress = { name: string; device: number }

export class SignalDevice {
  constructor(readonly state: SignalDeviceState, private readonly onChange: () => void) {}

  get identityPub32(): Buffer {
    return buf(this.state.identityPub).subarray(1)
  }

  get identityPriv(): Buffer {
    return buf(this.state.identityPriv)
  }

  /** What the server hands out for this device; each one-time key only once. */
  takeBundle(): PreKeyBundle {
    if (this.state.unservedPreKeys.length === 0) addPreKeys(this.state, PRE_KEY_BATCH)
    const id = this.state.unservedPreKeys.shift()!
    this.onChange()
    const spk = this.state.signedPreKey
    return {
      registrationId: this.state.registrationId,
      identity: this.identityPub32,
      signedPreKey: { keyId: spk.keyId, pub: buf(spk.pub).subarray(1), signature: buf(spk.signature) },
      preKey: { keyId: id, pub: buf(this.state.preKeys[id].pub).subarray(1) }
    }
  }

  private storage() {
    const s = this.state
    return {
      loadSession: async (id: string) => (s.sessions[id] ? SessionRecord.deserialize(s.sessions[id] as never) : undefined),
      storeSession: async (id: string, record: InstanceType<typeof SessionRecord>) => {
        s.sessions[id] = record.serialize()
        this.onChange()
      },
      isTrustedIdentity: () => true,
      loadPreKey: async (id: number | string) => {
        const k = s.preKeys[String(id)]
        return k ? { pubKey: buf(k.pub), privKey: buf(k.priv) } : undefined
      },
      removePreKey: (id: number) => {
        delete s.preKeys[String(id)]
        this.onChange()
      },
      loadSignedPreKey: () => ({ pubKey: buf(s.signedPreKey.pub), privKey: buf(s.signedPreKey.priv) }),
      getOurRegistrationId: () => s.registrationId,
      getOurIdentity: () => ({ pubKey: buf(s.identityPub), privKey: buf(s.identityPriv) })
    }
  }

  private addr(a: SignalAddress) {
    return new ProtocolAddress(a.name, a.device)
  }

  async decrypt(from: SignalAddress, type: string, ciphertext: Uint8Array): Promise<proto.IMessage> {
    const cipher = new SessionCipher(this.storage(), this.addr(from))
    const padded = type === 'pkmsg'
      ? await cipher.decryptPreKeyWhisperMessage(Buffer.from(ciphertext))
      : await cipher.decryptWhisperMessage(Buffer.from(ciphertext))
    return proto.Message.decode(unpadRandomMax16(padded))
  }

  hasSession(to: SignalAddress): boolean {
    const rec = this.state.sessions[this.addr(to).toString()]
    return !!rec && SessionRecord.deserialize(rec as never).haveOpenSession()
  }

  /** Encrypts for a peer, starting a session from `bundle()` when none is open. */
  async encrypt(to: SignalAddress, message: proto.IMessage, bundle: () => PreKeyBundle): Promise<{ type: 'pkmsg' | 'msg'; body: Buffer }> {
    const address = this.addr(to)
    if (!this.hasSession(to)) {
      const b = bundle()
      await new SessionBuilder(this.storage(), address).initOutgoing({
        registrationId: b.registrationId,
        identityKey: Buffer.concat([Buffer.from([5]), b.identity]),
        signedPreKey: { keyId: b.signedPreKey.keyId, publicKey: Buffer.concat([Buffer.from([5]), b.signedPreKey.pub]), signature: b.signedPreKey.signature },
        preKey: b.preKey ? { keyId: b.preKey.keyId, publicKey: Buffer.concat([Buffer.from([5]), b.preKey.pub]) } : undefined
      } as never)
    }
    const out = await new SessionCipher(this.storage(), address).encrypt(encodeWAMessage(message))
    return { type: out.type === 3 ? 'pkmsg' : 'msg', body: Buffer.from(out.body, 'binary') }
  }

  forgetSessionsWith(name: string, device?: number): void {
    for (const key of Object.keys(this.state.sessions)) {
      const [n, d] = key.split('.')
      if (n === name && (device === undefined || Number(d) === device)) delete this.state.sessions[key]
    }
    this.onChange()
  }
}
