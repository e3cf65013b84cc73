// One client WebSocket: Noise handshake, then encrypted stanzas both ways.
import type { WebSocket } from 'ws'
import type { proto } from '@whiskeysockets/baileys'
import { decodeNode, encodeNode, node, type BinaryNode } from './binary.js'
import { FrameReader, NoiseServer, frame, type CertChainKeys } from './noise.js'
import { randomId } from './curve.js'

export interface ConnectionEvents {
  /** Trace sink for stanzas and errors; a no-op unless the simulator runs with `debug`. */
  trace(...args: unknown[]): void
  onClientPayload(conn: Connection, payload: proto.ClientPayload): Promise<void> | void
  onNode(conn: Connection, stanza: BinaryNode): Promise<void> | void
  onClose(conn: Connection): void
}

export interface PendingRegistration {
  registrationId: number
  identityKey: Buffer
  signedPreKey: { keyId: number; pub: Buffer; signature: Buffer }
  refs: string[]
  /** The client's `DeviceProps.requireFullSync` (Baileys' `syncFullHistory`). */
  requireFullSync: boolean
}

export class Connection {
  readonly id = randomId(4)
  private readonly reader = new FrameReader()
  private readonly noise: NoiseServer
  private phase: 'hello' | 'finish' | 'transport' = 'hello'
  private readonly waiting = new Map<string, (n: BinaryNode) => void>()
  /** Serialises inbound processing so stanzas are handled in wire order. */
  private inbound: Promise<void> = Promise.resolve()
  closed = false
  registration?: PendingRegistration
  /** Set once logged in: which companion this socket speaks for. */
  login?: { phone: string; deviceId: number }
  /** Logged in and past offline delivery: new stanzas go out live instead of into the queue. */
  online = false
  connectedAt = Date.now()
  /** The WhatsApp Web version the client announced in its ClientPayload. */
  clientVersion?: string
  /** Declared itself online (`<presence type="available">`): the account shows online while one of its connections is (presence.ts). */
  available = false
  /** Whose presence and chat states this connection asked for: numbers, and group JIDs (presence.ts). */
  readonly presenceSubscriptions = new Set<string>()

  constructor(private readonly ws: WebSocket, keys: CertChainKeys, private readonly events: ConnectionEvents) {
    this.noise = new NoiseServer(keys)
    ws.on('message', (data: Buffer) => {
      this.inbound = this.inbound.then(() => this.onData(data)).catch((err) => this.fail(err))
    })
    ws.on('close', () => {
      this.closed = true
      this.events.onClose(this)
    })
    ws.on('error', () => this.ws.terminate())
  }

  get clientStaticKey(): Buffer | undefined {
    return this.noise.clientStatic
  }

  private fail(err: unknown): void {
    this.events.trace('connection error', err)
    this.close()
  }

  private async onData(data: Buffer): Promise<void> {
    for (const f of this.reader.push(data)) {
      if (this.closed) return
      if (this.phase === 'hello') {
        this.ws.send(frame(this.noise.serverHello(f)))
        this.phase = 'finish'
      } else if (this.phase === 'finish') {
        const payload = this.noise.clientFinish(f)
        this.phase = 'transport'
        await this.events.onClientPayload(this, payload)
      } else {
        const stanza = await decodeNode(this.noise.decryptTransport(f))
        this.events.trace('<-', stanza.tag, JSON.stringify(stanza.attrs))
        const waiter = stanza.tag === 'iq' && stanza.attrs.id ? this.waiting.get(stanza.attrs.id) : undefined
        if (waiter && (stanza.attrs.type === 'result' || stanza.attrs.type === 'error')) {
          this.waiting.delete(stanza.attrs.id)
          waiter(stanza)
        } else {
          await this.events.onNode(this, stanza)
        }
      }
    }
  }

  send(stanza: BinaryNode): void {
    if (this.closed || this.phase !== 'transport') return
    this.events.trace('->', stanza.tag, JSON.stringify(stanza.attrs))
    this.ws.send(frame(this.noise.encryptTransport(encodeNode(stanza))))
  }

  /** Server-initiated IQ; resolves with the client's reply. */
  query(stanza: BinaryNode, timeoutMs = 10_000): Promise<BinaryNode> {
    const id = stanza.attrs.id ?? randomId(6)
    stanza.attrs.id = id
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id)
        reject(new Error(`no reply to server iq ${id}`))
      }, timeoutMs)
      this.waiting.set(id, (n) => {
        clearTimeout(timer)
        resolve(n)
      })
      this.send(stanza)
    })
  }

  /** Stream error with a code, then close: Baileys maps the code to its close status. */
  streamError(code: number | undefined, childNode?: BinaryNode, delayMs = 50): void {
    this.send(node('stream:error', code === undefined ? {} : { code }, childNode ? [childNode] : undefined))
    setTimeout(() => this.close(), delayMs)
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    try {
      this.ws.close()
    } catch {
      this.ws.terminate()
    }
  }
}
