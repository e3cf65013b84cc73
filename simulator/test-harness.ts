// Drives the real Baileys against a simulator in tests: one auth folder per
// "instance", sockets recreated the way an app does (515 → reconnect).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import makeWASocket, { useMultiFileAuthState, type BaileysEventMap, type WASocket, type WAVersion } from '@whiskeysockets/baileys'
import { startSimulator, type Simulator } from './simulator.js'
import { SimulatorClient } from './client.js'
import { trustRootKey } from '@/workers/whatsapp/root-key-trust'

type EventName = keyof BaileysEventMap
const RECORDED: EventName[] = ['connection.update', 'creds.update', 'messages.upsert', 'messaging-history.set', 'messages.update', 'message-receipt.update', 'groups.upsert', 'groups.update', 'group-participants.update', 'contacts.update', 'presence.update', 'chats.update', 'chats.delete']

export interface Recorded<E extends EventName = EventName> {
  event: E
  data: BaileysEventMap[E]
  at: number
}

export class EventLog {
  readonly entries: Recorded[] = []
  private listeners: (() => void)[] = []

  push(entry: Recorded): void {
    this.entries.push(entry)
    for (const l of [...this.listeners]) l()
  }

  /** Resolves with the first matching event at or after `fromIndex`; rejects after `timeoutMs`. */
  waitFor<E extends EventName>(event: E, predicate: (data: BaileysEventMap[E]) => boolean, timeoutMs = 10_000, fromIndex = 0): Promise<BaileysEventMap[E]> {
    return this.waitForEntry((e) => e.event === event && predicate(e.data as BaileysEventMap[E]), timeoutMs, fromIndex, event)
      .then((e) => e.data as BaileysEventMap[E])
  }

  /** Like waitFor, across event types (e.g. a status that may come as an upsert or an update). */
  waitForEntry(predicate: (entry: Recorded) => boolean, timeoutMs = 10_000, fromIndex = 0, what = 'matching event'): Promise<Recorded> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        for (let i = fromIndex; i < this.entries.length; i++) {
          const e = this.entries[i]
          if (predicate(e)) {
            resolve(e)
            return true
          }
        }
        return false
      }
      if (check()) return
      const listener = () => {
        if (check()) cleanup()
      }
      const timer = setTimeout(() => {
        cleanup()
        const seen = this.entries.slice(fromIndex).map((e) => e.event).join(', ')
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; seen: ${seen}`))
      }, timeoutMs)
      const cleanup = () => {
        clearTimeout(timer)
        this.listeners = this.listeners.filter((l) => l !== listener)
      }
      this.listeners.push(listener)
    })
  }

  get length(): number {
    return this.entries.length
  }
}

/** The status of message `id` carried by an event, whether Baileys folded it into the upsert or sent an update. */
export function statusIn(entry: Recorded, id: string): number | undefined {
  if (entry.event === 'messages.update') {
    return (entry.data as BaileysEventMap['messages.update']).find((u) => u.key.id === id && typeof u.update.status === 'number')?.update.status ?? undefined
  }
  if (entry.event === 'messages.upsert') {
    return (entry.data as BaileysEventMap['messages.upsert']).messages.find((m) => m.key.id === id)?.status ?? undefined
  }
  return undefined
}

export const closeStatus = (u: Partial<BaileysEventMap['connection.update']>): number | undefined =>
  (u.lastDisconnect?.error as { output?: { statusCode?: number } } | undefined)?.output?.statusCode

/** One Baileys "instance": an auth folder plus the current socket. */
export class TestInstance {
  readonly dir = mkdtempSync(join(tmpdir(), 'wa-sim-auth-'))
  readonly log = new EventLog()
  private disposed = false
  sock?: WASocket
  /** fetch dispatcher trusting the simulator's media CA, for downloads. */
  dispatcher?: ReturnType<typeof trustRootKey>['dispatcher']

  constructor(private sim: Pick<Simulator, 'wsUrl' | 'rootPublicKeyHex' | 'mediaCaPath' | 'mediaUrl'>) {}

  /** Point later connections at another simulator (e.g. after a restart on a new port). */
  retarget(sim: Pick<Simulator, 'wsUrl' | 'rootPublicKeyHex' | 'mediaCaPath' | 'mediaUrl'>): void {
    this.sim = sim
  }

  /** `version`: the WhatsApp Web version to announce (Baileys' bundled one by default). */
  async connect(options: { version?: WAVersion } = {}): Promise<WASocket> {
    // The worker's own trust code, so these tests also show that it makes Baileys trust the simulator.
    const { fetchAgent, dispatcher } = trustRootKey({ rootPublicKeyHex: this.sim.rootPublicKeyHex, mediaCaPath: this.sim.mediaCaPath, mediaHost: new URL(this.sim.mediaUrl).host })
    this.dispatcher = dispatcher
    const { state, saveCreds } = await useMultiFileAuthState(this.dir)
    const sock = makeWASocket({
      waWebSocketUrl: this.sim.wsUrl,
      auth: state,
      logger: pino({ level: process.env.WA_SIM_BAILEYS_LOG ?? 'silent' }),
      fetchAgent,
      // History-sync blobs are fetched with these options (Utils/history.js `downloadHistory`).
      options: { dispatcher } as RequestInit,
      connectTimeoutMs: 10_000,
      defaultQueryTimeoutMs: 15_000,
      ...(options.version ? { version: options.version } : {})
    })
    // after dispose() the folder is gone; a late creds write must not become an unhandled rejection
    sock.ev.on('creds.update', () => void saveCreds().catch((err) => {
      if (!this.disposed) throw err
    }))
    for (const event of RECORDED) {
      sock.ev.on(event, ((data: BaileysEventMap[typeof event]) => this.log.push({ event, data, at: Date.now() })) as never)
    }
    this.sock = sock
    return sock
  }

  /**
   * Connect, wait for a QR, let the simulator's phone scan it, reconnect after 515, wait for open and
   * for the first login's history sync to finish (Baileys counts it in `accountSyncCounter`; a client
   * that goes away before would wait 20 s for history at its next login, as against WhatsApp).
   */
  async pair(scan: (qr: string) => Promise<unknown>): Promise<void> {
    const start = this.log.length
    await this.connect()
    const { qr } = await this.log.waitFor('connection.update', (u) => !!u.qr, 10_000, start)
    await scan(qr!)
    const closed = await this.log.waitFor('connection.update', (u) => u.connection === 'close', 10_000, start)
    if (closeStatus(closed) !== 515) throw new Error(`expected close 515 after pairing, got ${closeStatus(closed)}`)
    const login = this.log.length
    await this.reconnectAndOpen()
    await this.log.waitFor('creds.update', (update) => (update.accountSyncCounter ?? 0) > 0, 10_000, login)
  }

  async reconnectAndOpen(options: { version?: WAVersion } = {}): Promise<void> {
    const start = this.log.length
    await this.connect(options)
    await this.log.waitFor('connection.update', (u) => u.connection === 'open' || u.connection === 'close', 15_000, start)
      .then((u) => {
        if (u.connection === 'close') throw new Error(`closed instead of open: ${closeStatus(u)}`)
      })
  }

  end(): void {
    this.sock?.end(undefined)
    this.sock = undefined
  }

  dispose(): void {
    this.disposed = true
    this.end()
    // Baileys may still be writing key files for a moment after end(); remove the folder at exit.
    process.once('exit', () => rmSync(this.dir, { recursive: true, force: true, maxRetries: 3 }))
  }
}

/** What most of these tests start with: a simulator on a free port, its control client and one Baileys instance. */
export interface SimulatorWithInstance {
  sim: Simulator
  api: SimulatorClient
  inst: TestInstance
}

/**
 * Starts a simulator (keeping its state in `dataDir`, if given), creates the `contacts` as accounts
 * and, with `pairAs`, pairs the instance as that phone; otherwise the instance is left unconnected.
 */
export async function startWithInstance(options: { dataDir?: string; contacts?: [phone: string, name: string][]; pairAs?: { phone: string; name?: string } } = {}): Promise<SimulatorWithInstance> {
  const sim = await startSimulator({ port: 0, dataDir: options.dataDir })
  const api = new SimulatorClient(sim.controlUrl)
  const inst = new TestInstance(sim)
  try {
    for (const [phone, name] of options.contacts ?? []) await api.createAccount(phone, name)
    const pairAs = options.pairAs
    if (pairAs) await inst.pair((qr) => api.scanQr(qr, pairAs.phone, pairAs.name))
    return { sim, api, inst }
  } catch (error) {
    await stopWithInstance({ sim, inst })
    throw error
  }
}

/** Undoes startWithInstance (whatever of it happened). */
export async function stopWithInstance(started: { sim?: Simulator; inst?: TestInstance }): Promise<void> {
  started.inst?.dispose()
  await started.sim?.stop()
}
