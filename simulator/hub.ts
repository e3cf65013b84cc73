// Routes every connection's stanzas to the module that owns them, and knows
// which companion is online where (or queues for it when it is not).
import type { proto } from '@whiskeysockets/baileys'
import type { BinaryNode } from './binary.js'
import { decodeNode, encodeNode } from './binary.js'
import type { Connection, ConnectionEvents } from './connection.js'
import type { ServerIdentity } from './certs.js'
import { PairingRefs, startQrPairing } from './pairing.js'
import { handleLogin } from './login.js'
import { announcedVersion, refuseOutdatedClient } from './client-version.js'
import { handleIq } from './iq.js'
import { handleClientMessage } from './inbound.js'
import { handleClientReceipt } from './receipts.js'
import { Calls } from './calls.js'
import { Presence } from './presence.js'
import { clear, clearedBy, takeUncleared, trackSent } from './redelivery.js'
import type { MediaHost } from './media-host.js'
import type { World } from './world.js'
import type { Companion } from './state.js'

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
  readonly presence = new Presence(this)

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
      this.sendTracked(conn, companion, stanza)
      return 'sent'
    }
    companion.queue.push(encodeNode(stanza).toString('base64'))
    this.world.changed()
    return 'queued'
  }

  /** Sends to a companion's connection and keeps a message or receipt until the client clears it (redelivery.ts). */
  sendTracked(conn: Connection, companion: Companion, stanza: BinaryNode): void {
    conn.send(stanza)
    trackSent(companion, conn, stanza)
    this.world.changed()
  }

  /** What a login delivers before `<ib><offline/>`: stanzas sent earlier and never cleared, then the offline queue. */
  takeForLogin(companion: Companion): string[] {
    const live = new Set([...this.connections].filter((c) => !c.closed).map((c) => c.id))
    const taken = [...takeUncleared(companion, live), ...companion.queue.splice(0)]
    this.world.changed()
    return taken
  }

  private companionOf(conn: Connection): Companion | undefined {
    if (!conn.login) return undefined
    const account = this.world.account(conn.login.phone)
    return account && this.world.companion(account, conn.login.deviceId)
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
    conn.clientVersion = announcedVersion(payload)
    if (refuseOutdatedClient(this.world.state.clientVersion, conn, payload)) return
    if (payload.devicePairingData) return startQrPairing(this, conn, payload)
    return handleLogin(this, conn, payload)
  }

  async onNode(conn: Connection, stanza: BinaryNode): Promise<void> {
    const companion = this.companionOf(conn)
    if (companion && clear(companion, clearedBy(stanza))) this.world.changed()
    switch (stanza.tag) {
      case 'iq':
        return handleIq(this, conn, stanza)
      case 'message':
        return handleClientMessage(this, conn, stanza)
      case 'receipt':
        return handleClientReceipt(this, conn, stanza)
      case 'call':
        return this.calls.handleClientCall(conn, stanza)
      case 'presence':
        return this.presence.handleClientPresence(conn, stanza)
      case 'chatstate':
        return this.presence.handleClientChatstate(conn, stanza)
      default:
        // ack, ib unified_session: nothing for the server to answer
        return
    }
  }

  onClose(conn: Connection): void {
    this.connections.delete(conn)
    this.pairingRefs.forget(conn)
    this.pairingCodes.delete(conn)
    this.presence.forget(conn)
    if (conn.login) {
      const k = this.key(conn.login.phone, conn.login.deviceId)
      if (this.liveByCompanion.get(k) === conn) this.liveByCompanion.delete(k)
      // What this connection never cleared goes to the companion's next login, or now to a
      // connection that replaced it and is already past its offline delivery.
      const companion = this.companionOf(conn)
      const successor = this.live(conn.login.phone, conn.login.deviceId)
      if (companion && successor?.online) {
        for (const encoded of takeUncleared(companion, new Set([...this.connections].map((c) => c.id)))) {
          void decodeNode(Buffer.from(encoded, 'base64')).then((stanza) => this.sendTracked(successor, companion, stanza))
        }
      }
    }
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    for (const c of this.connections) c.close()
  }
}
