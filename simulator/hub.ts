// Routes every connection's stanzas to the module that owns them, and knows
// which companion is online where (or queues for it when it is not).
import type { proto } from '@whiskeysockets/baileys'
import type { BinaryNode } from './binary.js'
import { encodeNode } from './binary.js'
import type { Connection, ConnectionEvents } from './connection.js'
import type { ServerIdentity } from './certs.js'
import { PairingRefs, startQrPairing } from './pairing.js'
import { handleLogin } from './login.js'
import { handleIq } from './iq.js'
import { handleClientMessage } from './inbound.js'
import { handleClientReceipt } from './receipts.js'
import { Calls } from './calls.js'
import type { MediaHost } from './media-host.js'
import type { World } from './world.js'

export class Hub implements ConnectionEvents {
  readonly pairingRefs = new PairingRefs()
  /** Registering connections that asked for a pairing code. */
  readonly pairingCodes = new Set<Connection>()
  private readonly liveByCompanion = new Map<string, Connection>()
  readonly connections = new Set<Connection>()
  media?: MediaHost
  /** Timers for scheduled receipts, cleared on stop. */
  readonly timers = new Set<NodeJS.Timeout>()
  readonly calls = new Calls(this)

  constructor(readonly world: World, readonly identity: ServerIdentity, private readonly debug = false) {}

  trace(...args: unknown[]): void {
    if (this.debug) console.error('[wa-sim]', ...args)
  }

  private key(phone: string, deviceId: number): string {
    return `${phone}:${deviceId}`
  }

  live(phone: string, deviceId: number): Connection | undefined {
    const c = this.liveByCompanion.get(this.key(phone, deviceId))
    return c && !c.closed ? c : undefined
  }

  bind(conn: Connection, phone: string, deviceId: number): Connection | undefined {
    const k = this.key(phone, deviceId)
    const previous = this.liveByCompanion.get(k)
    this.liveByCompanion.set(k, conn)
    conn.login = { phone, deviceId }
    return previous && previous !== conn && !previous.closed ? previous : undefined
  }

  /**
   * Sends to the companion now, or keeps it for its next login, as WhatsApp does for a device that
   * is offline: login.ts replays the queue, each stanza marked `offline`, before `<ib><offline/></ib>`.
   */
  deliver(phone: string, deviceId: number, stanza: BinaryNode): 'sent' | 'queued' | 'gone' {
    const account = this.world.account(phone)
    const companion = account && this.world.companion(account, deviceId)
    if (!companion) return 'gone'
    const conn = this.live(phone, deviceId)
    if (conn?.online) {
      conn.send(stanza)
      return 'sent'
    }
    companion.queue.push(encodeNode(stanza).toString('base64'))
    this.world.changed()
    return 'queued'
  }

  schedule(ms: number, fn: () => void | Promise<void>): void {
    const t = setTimeout(() => {
      this.timers.delete(t)
      Promise.resolve(fn()).catch((err) => {
        this.trace('scheduled task failed', err)
      })
    }, ms)
    this.timers.add(t)
  }

  attach(conn: Connection): void {
    this.connections.add(conn)
  }

  onClientPayload(conn: Connection, payload: proto.ClientPayload): Promise<void> | void {
    if (payload.devicePairingData) return startQrPairing(this, conn, payload)
    return handleLogin(this, conn, payload)
  }

  async onNode(conn: Connection, stanza: BinaryNode): Promise<void> {
    switch (stanza.tag) {
      case 'iq':
        return handleIq(this, conn, stanza)
      case 'message':
        return handleClientMessage(this, conn, stanza)
      case 'receipt':
        return handleClientReceipt(this, conn, stanza)
      case 'call':
        return this.calls.handleClientCall(conn, stanza)
      default:
        // ack, presence, chatstate, ib unified_session: nothing for the server to answer
        return
    }
  }

  onClose(conn: Connection): void {
    this.connections.delete(conn)
    this.pairingRefs.forget(conn)
    this.pairingCodes.delete(conn)
    if (conn.login) {
      const k = this.key(conn.login.phone, conn.login.deviceId)
      if (this.liveByCompanion.get(k) === conn) this.liveByCompanion.delete(k)
    }
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    for (const c of this.connections) c.close()
  }
}
