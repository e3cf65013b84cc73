// One instance's WhatsApp connection: the Baileys socket, its state machine and its reconnects.
import makeWASocket, { Browsers, makeCacheableSignalKeyStore, type SignalKeyStore, type WASocket, type WAVersion } from '@whiskeysockets/baileys'
import QRCode from 'qrcode'
import type { Agent } from 'node:https'
import type { Logger } from '@/lib/log'
import { stateOf, type InstanceState, type InstanceStatusCode } from '@/lib/instances/status-codes'
import { pauseMessage, type PauseReason } from '@/lib/instances/send-health'
import type { EventType, InstanceIdentity } from '@/lib/events/types'
import { applyChange, LeaseLostError, qrCountOf, sendPauseOf, type InstanceChange } from '@/lib/store/instances'
import { DEFAULT_SETTINGS, readInstanceSettings, type InstanceSettings } from '@/lib/store/instance-settings'
import { unsealProxy, type ProxyConfig } from '@/lib/instances/proxy'
import type { Dispatcher } from 'undici'
import { attachCallEvents } from './calls'
import { attachPresenceEvents } from './presence'
import { attachHistoryEvents, historySyncFilter } from './history'
import { proxyAgents, type ProxyAgents } from './proxy-agents'
import { pingDatabase } from '@/lib/store/sql'
import { clearAuthState, usePostgresAuthState } from './auth-state'
import { OwnSends } from './own-sends'
import { backoffDelay, decideOnClose, type DisconnectDecision } from './disconnect'
import { applyReceipt, attachMessageEvents, storeIncoming } from './events'
import { StorageUnavailableError, StoreBeforeAck } from './store-before-ack'
import { messageForRetry } from './resend'
import type { ClientVersion } from './client-version'
import { cachedGroupMetadata } from './groups'
import { linkSandboxPhone, sandboxConnection, type SandboxConnection } from './sandbox'
import { withRootKey } from './root-key-trust'
import { SendHealthWatch } from './send-health'
import { socketCaches } from './socket-caches'

/** Waits between the attempts of a write the socket depends on; after the last one the session pauses. */
const STORAGE_RETRY_MS = [100, 300, 1000, 2000]
/** Waits between checks of whether the database is back, while paused. */
const STORAGE_PROBE_MS = [500, 1000, 2000, 5000]

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export type SessionOptions = {
  workerId: string
  log: Logger
  waWebSocketUrl?: string
  fetchAgent?: Agent
  /** CAs to trust for media hosts when media goes through a proxy (the simulator's, in tests). */
  trustedCa?: string[]
  /** PROXY_ALLOW_PRIVATE_HOSTS: instance proxies may be on private addresses. */
  allowPrivateProxy?: boolean
  qrTimeoutMs?: number
  /** The WhatsApp Web version each socket announces, and where a refusal of it as outdated is reported. */
  clientVersion: Pick<ClientVersion, 'current' | 'afterRefusal' | 'isPinned'>
  /** Called when the session can no longer run here (lease lost, stopped for good). */
  onRelease: (instanceId: string) => void
  /** Called each time the connection opens (queued sends can go out). */
  onOpen?: (instanceId: string) => void
  /** The sandbox service's manager API, for sandbox instances (SANDBOX_URL). */
  sandboxUrl?: string
}

type ChangeEvent = { type: EventType; data: unknown }

export class InstanceSession {
  socket: WASocket | undefined
  private stopped = false
  private loggingOut = false
  private retryAttempt = 0
  private retryTimer: NodeJS.Timeout | undefined
  /** Starts in progress: an error reported meanwhile must not schedule another. */
  private starting = 0
  private state: InstanceState = 'close'
  private pairingReady = false
  private updates: Promise<void> = Promise.resolve()
  private credsWrites: Promise<void> = Promise.resolve()
  private pushName: string | null = null
  readonly log: Logger
  /** The instance's settings, read at every start and on `apply_settings`; event handlers read them per event. */
  settings: InstanceSettings = DEFAULT_SETTINGS
  /** The proxy this socket was started with, to tell whether a settings change needs a reconnect. */
  private proxyInUse: string | null = null
  /** Set when the proxy failed during this connection attempt: the close is then the proxy's fault. */
  private proxyFailure: string | null = null
  private proxy: ProxyConfig | null = null
  /** For media downloads through the proxy (undefined: direct). */
  mediaDispatcher: Dispatcher | undefined
  /** The current socket's inbound gate (store-before-ack.ts). */
  private gate: StoreBeforeAck | undefined
  /** The database stayed unreachable: the socket is closed until it answers again. */
  private pausedForStorage = false
  /** The last socket's credentials, newer than the stored copy when a write failed during a pause. */
  private lastSaveCreds: (() => Promise<void>) | undefined
  /** The account's sandbox world, for a sandbox instance's current socket. */
  private sandbox: SandboxConnection | undefined
  /** The WhatsApp Web version the current socket announced. */
  private versionInUse: WAVersion | undefined
  /** A refusal as outdated was announced since the connection was last open. */
  private outdatedAnnounced = false
  /** Auto-pause: why sending stopped (null: it may send). Read at every start; set by the outbox, receipts and a ban. */
  sendPause: PauseReason | null = null
  readonly health = new SendHealthWatch(this)
  /** The outbox's sends in flight, whose echo is not stored again (./own-sends.ts). */
  readonly ownSends = new OwnSends()
  private statusCode: InstanceStatusCode | undefined

  constructor(
    readonly instance: InstanceIdentity,
    private readonly options: SessionOptions,
  ) {
    this.log = options.log.child({ instance: instance.name, instanceId: instance.id })
  }

  get isOpen(): boolean {
    return this.state === 'open' && this.socket !== undefined
  }

  async start(): Promise<void> {
    this.starting++
    try {
      await this.openSocket()
    } finally {
      this.starting--
    }
  }

  private async openSocket(): Promise<void> {
    if (this.stopped) return
    await this.credsWrites
    const auth = await usePostgresAuthState(this.instance.id, this.options.workerId)
    const registered = auth.hasSession
    await this.change(
      registered ? { statusCode: 'reconnecting', statusReason: 'Reconnecting with the stored session…' } : { statusCode: 'starting', statusReason: 'Waiting for a QR code…' },
    )
    if (this.stopped) return
    // A sandbox instance never uses a proxy: its traffic stays on the machine.
    let sandbox: SandboxConnection | undefined
    if (this.instance.sandbox) {
      try {
        sandbox = await sandboxConnection(this.options.sandboxUrl ?? '', this.instance)
      } catch (error) {
        return this.sandboxUnreachable(error instanceof Error ? error.message : String(error))
      }
    }
    const agents = sandbox ? await this.loadSettings({ ignoreProxy: true }) : await this.loadSettings()
    this.sendPause = (await sendPauseOf(this.instance.id))?.reason ?? null
    if (this.stopped) return
    if (agents === 'failed') return
    this.sandbox = sandbox
    if (sandbox) this.mediaDispatcher = sandbox.transport.dispatcher
    const version = await this.options.clientVersion.current()
    if (this.stopped) return
    this.versionInUse = version
    this.lastSaveCreds = auth.saveCreds
    const baileysLog = this.log.child({ module: 'baileys' })
    baileysLog.level = 'warn'
    const gate = new StoreBeforeAck({
      message: (message) => this.durably('store an incoming message', () => storeIncoming(this, message)),
      receipt: (update) => this.durably('apply a receipt', () => applyReceipt(this, update)),
    })
    this.gate = gate
    const { signalKeys, ...caches } = socketCaches()
    const socket = this.createSocket({
      auth: { creds: auth.state.creds, keys: makeCacheableSignalKeyStore(this.durableKeys(auth.state.keys), baileysLog, signalKeys) },
      ...caches,
      makeSignalRepository: gate.makeSignalRepository,
      logger: baileysLog,
      browser: Browsers.macOS('SAGE-API'),
      version,
      markOnlineOnConnect: this.settings.alwaysOnline,
      // Only asked for at pairing: the phone sends history once, to a newly linked device. Recent
      // history is always stored; FULL chunks only with the setting (workers/whatsapp/history.ts).
      syncFullHistory: this.settings.syncFullHistory,
      shouldSyncHistoryMessage: historySyncFilter(this),
      // History blobs are downloaded with these fetch options: through the instance's proxy, if any.
      ...(this.mediaDispatcher ? { options: { dispatcher: this.mediaDispatcher } as RequestInit } : {}),
      qrTimeout: this.options.qrTimeoutMs,
      ...(agents ? { agent: agents.agent, fetchAgent: agents.fetchAgent } : { fetchAgent: sandbox?.transport.fetchAgent ?? this.options.fetchAgent }),
      ...(sandbox ? { waWebSocketUrl: sandbox.world.wsUrl } : this.options.waWebSocketUrl ? { waWebSocketUrl: this.options.waWebSocketUrl } : {}),
      getMessage: messageForRetry(this.instance),
      // Postgres' copy (workers/whatsapp/groups.ts): a send to a group asks WhatsApp for its members only once.
      cachedGroupMetadata: (jid) => cachedGroupMetadata(this.instance.id, this.socket, jid),
    })
    this.socket = socket
    this.pairingReady = false
    // Listeners go on before anything else awaits: the first QR can arrive within milliseconds.
    socket.ev.on('creds.update', () => {
      if (this.loggingOut) return // the credentials are about to be deleted; never write them back
      // Chained, and awaited before the next socket reads them: after pairing, Baileys updates the
      // creds and closes with 515 at once; reconnecting with the older copy would not log in.
      this.credsWrites = this.credsWrites.then(() => this.durably('save credentials', auth.saveCreds)).catch((error) => this.onStorageError(error))
      // On a first pairing the push name arrives in a creds update after the connection opened.
      const pushName = auth.state.creds.me?.name
      if (pushName && pushName !== '~' && pushName !== this.pushName && this.state === 'open') {
        this.pushName = pushName
        this.change({ pushName }).catch((error) => this.onStorageError(error))
      }
    })
    socket.ev.on('connection.update', (update) => {
      // One at a time, in order: a close must not overtake the QR or open that preceded it.
      this.updates = this.updates
        .then(() => this.onConnectionUpdate(socket, update, registered))
        .catch((error) => this.onStorageError(error))
    })
    gate.watch(socket)
    attachMessageEvents(socket, this, gate)
    attachCallEvents(socket, this)
    attachPresenceEvents(socket, this)
    attachHistoryEvents(socket, this)
  }

  /**
   * Reads the settings and builds the proxy's agents. A proxy host that no longer passes the SSRF
   * check is the proxy's failure like any other: shown as `proxy_failed` and retried later.
   */
  private async loadSettings(options: { ignoreProxy?: boolean } = {}): Promise<ProxyAgents | undefined | 'failed'> {
    const row = await readInstanceSettings(this.instance.id)
    const { proxyEnabled, proxySealed, updatedAt: _updatedAt, ...settings } = row
    this.settings = settings
    this.proxy = proxyEnabled && proxySealed && !options.ignoreProxy ? unsealProxy(this.instance.id, proxySealed) : null
    this.proxyInUse = this.proxy ? JSON.stringify(this.proxy) : null
    this.proxyFailure = null
    this.mediaDispatcher = undefined
    if (!this.proxy) return undefined
    try {
      const agents = await proxyAgents(this.proxy, {
        allowPrivate: Boolean(this.options.allowPrivateProxy),
        ca: this.options.trustedCa,
        onFailure: (reason) => {
          this.proxyFailure ??= reason
          // A refused CONNECT reaches ws as an unexpected HTTP answer, which ws leaves to Baileys'
          // 'unexpected-response' listener; nothing closes that socket, so it is closed here.
          const socket = this.socket
          setImmediate(() => {
            if (socket && socket === this.socket) socket.end(new Error(`The proxy ${reason}`))
          })
        },
      })
      this.mediaDispatcher = agents.dispatcher
      return agents
    } catch (error) {
      await this.proxyFailed(error instanceof Error ? error.message : String(error))
      return 'failed'
    }
  }

  /** A sandbox socket trusts the sandbox's root key, a real one the process's (root-key-trust.ts `withRootKey`). */
  private createSocket(config: Parameters<typeof makeWASocket>[0]): WASocket {
    const sandbox = this.sandbox
    return sandbox ? withRootKey(sandbox.world.rootPublicKeyHex, () => makeWASocket(config)) : makeWASocket(config)
  }

  /** The sandbox service did not answer: shown like a WhatsApp outage, and retried with the same backoff. */
  private async sandboxUnreachable(reason: string): Promise<void> {
    const delay = backoffDelay(this.retryAttempt++)
    this.log.warn({ reason }, 'the sandbox service is out of reach')
    await this.change(
      { statusCode: 'reconnecting', statusReason: `The sandbox service could not be reached. Retrying in ${Math.ceil(delay / 1000)} s.` },
      { type: 'CONNECTION_UPDATE', data: { state: 'connecting', reason: 'The sandbox service could not be reached.' } },
    )
    this.retryTimer = setTimeout(() => void this.start().catch((e) => this.onStorageError(e)), delay)
  }

  private async proxyFailed(reason: string): Promise<void> {
    const delay = backoffDelay(this.retryAttempt++)
    const where = this.proxy ? `${this.proxy.host}:${this.proxy.port}` : ''
    await this.change(
      { statusCode: 'proxy_failed', statusReason: `The proxy ${where} ${reason}. Retrying in ${Math.ceil(delay / 1000)} s.` },
      { type: 'CONNECTION_UPDATE', data: { state: 'connecting', reason: `The proxy ${where} ${reason}.` } },
    )
    this.retryTimer = setTimeout(() => void this.start().catch((e) => this.onStorageError(e)), delay)
  }

  /**
   * The settings changed (`apply_settings`): switches apply to the next event at once; a new or
   * removed proxy needs a new socket; presence follows alwaysOnline on the open socket.
   */
  async applySettings(): Promise<{ reconnected: boolean }> {
    const row = await readInstanceSettings(this.instance.id)
    const { proxyEnabled, proxySealed, updatedAt: _updatedAt, ...settings } = row
    const proxy = proxyEnabled && proxySealed ? JSON.stringify(unsealProxy(this.instance.id, proxySealed)) : null
    if (proxy !== this.proxyInUse) {
      await this.restart()
      return { reconnected: true }
    }
    const presenceChanged = settings.alwaysOnline !== this.settings.alwaysOnline
    this.settings = settings
    if (presenceChanged && this.isOpen) await this.socket?.sendPresenceUpdate(settings.alwaysOnline ? 'available' : 'unavailable')
    return { reconnected: false }
  }

  /**
   * Runs a write the socket's traffic depends on (a message, a receipt, Signal keys, credentials),
   * retrying a few times. If the database stays unreachable the session pauses: the socket closes
   * without logging out, so WhatsApp keeps what it could not store, and reconnects once the database
   * answers again. Throws StorageUnavailableError then (and at once while paused).
   */
  async durably<T>(what: string, write: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (this.pausedForStorage || this.stopped) throw new StorageUnavailableError(what)
      try {
        return await write()
      } catch (error) {
        if (error instanceof LeaseLostError || error instanceof StorageUnavailableError) throw error
        if (attempt >= STORAGE_RETRY_MS.length) {
          this.pauseForStorage(what, error)
          throw new StorageUnavailableError(what, error)
        }
        this.log.warn({ err: error, what, attempt: attempt + 1 }, 'storage write failed; retrying')
        await sleep(STORAGE_RETRY_MS[attempt])
      }
    }
  }

  /** Baileys' Signal key store with every read and write through `durably`. */
  private durableKeys(keys: SignalKeyStore): SignalKeyStore {
    return {
      get: (type, ids) => this.durably(`read ${type} keys`, async () => keys.get(type, ids)),
      set: (data) => this.durably('write Signal keys', async () => keys.set(data)),
    }
  }

  private pauseForStorage(what: string, error: unknown): void {
    if (this.pausedForStorage || this.stopped) return
    this.pausedForStorage = true
    this.log.error({ err: error, what }, 'database unreachable; closing the WhatsApp connection (no logout) until it is back')
    // Retire first: the socket's pending decrypts and receipts must not be acknowledged on the way out.
    this.gate?.retire()
    const socket = this.socket
    this.socket = undefined
    socket?.end(undefined)
    void this.resumeWhenStorageIsBack()
  }

  private async resumeWhenStorageIsBack(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      await sleep(STORAGE_PROBE_MS[Math.min(attempt, STORAGE_PROBE_MS.length - 1)])
      if (this.stopped) return
      try {
        await pingDatabase()
        await this.credsWrites
        // Credentials written during the outage failed; the last socket's copy is the newest.
        await this.lastSaveCreds?.()
      } catch (error) {
        if (error instanceof LeaseLostError) return this.onStorageError(error)
        continue
      }
      this.pausedForStorage = false
      this.retryAttempt = 0
      this.log.info('database reachable again; reconnecting')
      try {
        await this.start()
        return
      } catch (error) {
        if (error instanceof LeaseLostError) return this.onStorageError(error)
        this.pausedForStorage = true
      }
    }
  }

  private async onConnectionUpdate(socket: WASocket, update: Partial<import('@whiskeysockets/baileys').ConnectionState>, registered: boolean) {
    if (socket !== this.socket || this.stopped) return
    if (update.qr) {
      this.pairingReady = true
      const count = (await qrCountOf(this.instance.id)) + 1
      const base64 = await QRCode.toDataURL(update.qr, { margin: 1, width: 320 })
      await this.change(
        { statusCode: 'qr', qrCode: update.qr, qrCount: count, statusReason: 'Scan the QR code with WhatsApp on your phone.' },
        { type: 'QRCODE_UPDATED', data: { qrcode: { instance: this.instance.name, code: update.qr, base64, pairingCode: null, count } } },
      )
      if (this.sandbox) {
        // No one to scan it: the sandbox phone links itself (one click, no QR).
        linkSandboxPhone(this.sandbox, update.qr, this.instance.name).catch((error) => this.log.warn({ err: error }, 'the sandbox phone could not link'))
      }
    }
    if (update.connection === 'open') {
      this.retryAttempt = 0
      this.outdatedAnnounced = false
      this.proxyFailure = null
      const phoneNumber = socket.user?.id?.split(':')[0]?.split('@')[0] ?? null
      const knownName = socket.user?.name ?? socket.authState.creds.me?.name
      this.pushName = knownName && knownName !== '~' ? knownName : null
      // A paused instance stays paused across reconnects (and a temporary ban's end) until it is resumed.
      const paused = this.sendPause
      await this.change(
        {
          statusCode: paused ? 'send_paused' : 'open',
          qrCode: null,
          qrCount: 0,
          pairingCode: null,
          phoneNumber,
          pushName: this.pushName,
          statusReason: paused ? pauseMessage(paused) : null,
          connectedAt: new Date(),
        },
        { type: 'CONNECTION_UPDATE', data: { state: 'open', statusReason: 200, wuid: socket.user?.id ?? null, profileName: this.pushName } },
      )
      this.log.info({ phoneNumber }, 'connected')
      this.options.onOpen?.(this.instance.id)
    }
    if (update.connection === 'close') {
      this.socket = undefined
      const error = update.lastDisconnect?.error
      if (this.loggingOut) return
      const decision = decideOnClose(error, { registered: registered || Boolean(socket.authState.creds.me) })
      const statusCode = (error as { output?: { statusCode?: number } } | undefined)?.output?.statusCode ?? null
      this.log.info({ decision, statusCode }, 'connection closed')
      // Before the decision: a proxy's refusal arrives as an HTTP status (403 would read as WhatsApp's "forbidden").
      if (this.proxyFailure) {
        this.log.warn({ reason: this.proxyFailure }, 'proxy failed')
        await this.proxyFailed(this.proxyFailure)
        return
      }
      switch (decision.action) {
        case 'reconnect-now':
          await this.start()
          return
        case 'retry-later': {
          const delay = backoffDelay(this.retryAttempt++)
          await this.change(
            { statusCode: 'unreachable', statusReason: `${decision.reason} Retrying in ${Math.ceil(delay / 1000)} s.` },
            { type: 'CONNECTION_UPDATE', data: { state: 'connecting', statusReason: statusCode, reason: decision.reason } },
          )
          this.retryTimer = setTimeout(() => void this.start().catch((e) => this.onStorageError(e)), delay)
          return
        }
        case 'banned':
          await this.banned(decision, statusCode)
          return
        case 'client-outdated':
          await this.clientOutdated(decision.reason, registered || Boolean(socket.authState.creds.me))
          return
        case 'logged-out':
          await this.credsWrites
          await clearAuthState(this.instance.id)
          // A sandbox phone links itself to every QR (see the qr handler): a sandbox instance stays
          // logged out, as a real one without anyone scanning would, until it is connected again.
          await this.change(
            {
              statusCode: 'logged_out',
              phoneNumber: null,
              pushName: null,
              qrCode: null,
              qrCount: 0,
              pairingCode: null,
              statusReason: decision.reason,
              ...(this.sandbox ? { desiredState: 'disconnected' as const } : {}),
            },
            { type: 'CONNECTION_UPDATE', data: { state: 'close', statusReason: 401, reason: decision.reason } },
          )
          if (this.sandbox) {
            this.stopped = true
            this.options.onRelease(this.instance.id)
            return
          }
          // Back to pairing: a fresh QR for whoever is looking at the dashboard.
          await this.start()
          return
        case 'stop':
          await this.change(
            { statusCode: decision.statusCode, desiredState: 'disconnected', qrCode: null, pairingCode: null, statusReason: decision.reason },
            { type: 'CONNECTION_UPDATE', data: { state: 'close', statusReason: statusCode, reason: decision.reason } },
          )
          this.stopped = true
          this.options.onRelease(this.instance.id)
      }
    }
  }

  /**
   * WhatsApp signalled trouble (workers/messaging/send-health.ts): the instance stops sending until
   * someone resumes it. The socket stays open (messages still arrive); held sends stay held.
   */
  async pauseSending(reason: PauseReason, detail?: string): Promise<void> {
    if (this.sendPause) return
    this.sendPause = reason
    const message = pauseMessage(reason, detail)
    const pausedAt = new Date()
    const statusCode = this.isOpen ? 'send_paused' : this.statusCode
    this.log.warn({ reason, detail }, 'sending paused')
    await this.change(
      { ...(this.isOpen ? { statusCode: 'send_paused' as const, statusReason: message } : {}), sendPauseReason: reason, sendPausedAt: pausedAt },
      { type: 'INSTANCE_HEALTH', data: { state: 'paused', reason, message, statusCode: statusCode ?? 'send_paused', pausedAt: pausedAt.toISOString() } },
    )
  }

  /** Resume (the API or the dashboard, through `resume_sending`): sending goes on, held sends first. */
  async resumeSending(): Promise<{ resumed: boolean }> {
    // The caller saw the row paused: it is cleared even if this session never learned of the pause.
    this.sendPause = null
    const open = this.isOpen
    await this.change(
      { ...(open ? { statusCode: 'open' as const, statusReason: null } : {}), sendPauseReason: null, sendPausedAt: null, sendResumedAt: new Date() },
      { type: 'INSTANCE_HEALTH', data: { state: 'resumed', reason: null, message: 'Sending resumed.', statusCode: open ? 'open' : (this.statusCode ?? 'open'), pausedAt: null } },
    )
    if (open) this.options.onOpen?.(this.instance.id)
    return { resumed: true }
  }

  /**
   * A ban-like login refusal: sending pauses (announced once per ban). A temporary ban is waited out
   * (no reconnect before WhatsApp's `expire`), then the connection comes back still paused; a 403 stops.
   */
  private async banned(decision: Extract<DisconnectDecision, { action: 'banned' }>, closeStatus: number | null): Promise<void> {
    const announce = this.sendPause !== decision.pause
    this.sendPause = decision.pause
    const pausedAt = new Date()
    const temporary = decision.pause === 'temp_banned'
    const retryMs = temporary ? Math.max(backoffDelay(this.retryAttempt++), (decision.ban?.expiresInSeconds ?? 0) * 1000 + 1000) : 0
    const next = temporary ? ` Reconnecting when the ban ends, in ${Math.ceil(retryMs / 1000)} s.` : ' Stopped: resume to try again.'
    const message = pauseMessage(decision.pause, decision.ban?.code ? `Ban code ${decision.ban.code}.` : undefined)
    const health = { type: 'INSTANCE_HEALTH' as const, data: { state: 'paused', reason: decision.pause, message, statusCode: 'banned', pausedAt: pausedAt.toISOString(), ...(decision.ban ? { ban: decision.ban } : {}) } }
    await this.change(
      {
        statusCode: 'banned',
        statusReason: `${decision.reason} Sending is paused.${next}`,
        ...(announce ? { sendPauseReason: decision.pause, sendPausedAt: pausedAt } : {}),
        ...(temporary ? {} : { desiredState: 'disconnected' as const, qrCode: null, pairingCode: null }),
      },
      [{ type: 'CONNECTION_UPDATE', data: { state: 'close', statusReason: closeStatus, reason: decision.reason } }, ...(announce ? [health] : [])],
    )
    if (temporary) {
      this.retryTimer = setTimeout(() => void this.start().catch((e) => this.onStorageError(e)), retryMs)
      return
    }
    this.stopped = true
    this.options.onRelease(this.instance.id)
  }

  /**
   * WhatsApp refused the announced version: the credentials stay (this is no logout). The version
   * source is asked again, and the next attempt, after a backoff, announces whatever it then gives.
   * The first refusal is announced even though the state stays `connecting`: it needs a human.
   */
  private async clientOutdated(reason: string, registered: boolean): Promise<void> {
    const refused = this.versionInUse
    const delay = backoffDelay(this.retryAttempt++)
    const kept = registered ? ' The session is kept: no new QR code is needed.' : ''
    await this.change(
      {
        statusCode: 'client_outdated',
        statusReason: `${reason} It announced WhatsApp Web ${refused?.join('.') ?? 'unknown'}; ${
          this.options.clientVersion.isPinned ? 'WA_VERSION pins that version: pin a newer one. Retrying' : 'the worker is checking for a newer version and retries'
        } in ${Math.ceil(delay / 1000)} s.${kept}`,
      },
      { type: 'CONNECTION_UPDATE', data: { state: 'connecting', statusReason: 405, reason } },
      { announce: !this.outdatedAnnounced },
    )
    this.outdatedAnnounced = true
    const recheck = refused ? this.options.clientVersion.afterRefusal(refused) : Promise.resolve()
    this.retryTimer = setTimeout(() => void recheck.then(() => this.start()).catch((e) => this.onStorageError(e)), delay)
  }

  /** Pairing codes can be requested once the socket has reached WhatsApp and offered a QR. */
  async waitForPairingReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!this.pairingReady) {
      if (Date.now() > deadline) throw new Error('WhatsApp did not offer pairing in time; try again.')
      if (this.stopped) throw new Error('The instance stopped before pairing was possible.')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    const socket = this.socket
    if (!socket) throw new Error('The connection is not ready for pairing yet.')
    if (socket.authState.creds.registered) throw new Error('This instance is already paired.')
    const code = await socket.requestPairingCode(phoneNumber)
    await this.change(
      { statusCode: 'pairing_code', pairingCode: code, statusReason: 'Enter the pairing code on your phone: WhatsApp → Linked devices → Link with phone number.' },
      { type: 'QRCODE_UPDATED', data: { qrcode: { instance: this.instance.name, code: null, base64: null, pairingCode: code, count: 0 } } },
    )
    return code
  }

  /** Unlinks the device: WhatsApp forgets it, our credentials are deleted, the instance stays. */
  async logout(): Promise<void> {
    this.loggingOut = true
    this.stopped = true
    clearTimeout(this.retryTimer)
    try {
      if (this.socket && this.state === 'open') await this.socket.logout('Logged out through SAGE-API')
    } catch (error) {
      this.log.warn({ err: error }, 'logout request failed; clearing credentials anyway')
    }
    this.socket?.end(undefined)
    this.socket = undefined
    await this.credsWrites
    await clearAuthState(this.instance.id)
    await this.change(
      { statusCode: 'logged_out', desiredState: 'disconnected', phoneNumber: null, pushName: null, qrCode: null, qrCount: 0, pairingCode: null, statusReason: 'Logged out.' },
      { type: 'CONNECTION_UPDATE', data: { state: 'close', statusReason: 401, reason: 'Logged out through SAGE-API.' } },
    )
  }

  /** Closes the socket without logging out (restart, shutdown, hand-over): the session stays valid. */
  async stop(options: { recordClose: boolean }): Promise<void> {
    this.stopped = true
    clearTimeout(this.retryTimer)
    const socket = this.socket
    this.socket = undefined
    socket?.end(undefined)
    if (options.recordClose) {
      await this.change(
        { statusCode: 'stopped', qrCode: null, statusReason: 'Stopped.' },
        { type: 'CONNECTION_UPDATE', data: { state: 'close', statusReason: 428, reason: 'Stopped.' } },
      ).catch(() => {})
    }
  }

  async restart(): Promise<void> {
    clearTimeout(this.retryTimer)
    const socket = this.socket
    this.socket = undefined
    socket?.end(undefined)
    this.retryAttempt = 0
    await this.start()
  }

  /**
   * Writes a change (fenced by our lease) with its event. A CONNECTION_UPDATE is recorded only when
   * the state really changes, so a retry that stays `connecting` does not announce itself again
   * (`announce` records it anyway: news within the same state, like a refusal as outdated).
   */
  async change(change: InstanceChange, event?: ChangeEvent | ChangeEvent[], options: { announce?: boolean } = {}): Promise<void> {
    const state = change.statusCode ? stateOf(change.statusCode) : undefined
    const stateChanged = state !== undefined && state !== this.state
    const events = [event ?? []].flat()
    const recorded = events.filter((each) => each.type !== 'CONNECTION_UPDATE' || stateChanged || options.announce)
    // Given no event, a change of state still announces itself.
    if (stateChanged && !events.length) recorded.push({ type: 'CONNECTION_UPDATE', data: { state } })
    await applyChange(this.instance, this.options.workerId, change, recorded)
    if (state) this.state = state
    if (change.statusCode) this.statusCode = change.statusCode
  }

  reportError(what: string, error: unknown): void {
    if (error instanceof LeaseLostError) return this.onStorageError(error)
    if (error instanceof StorageUnavailableError) return // the session paused; WhatsApp keeps it
    this.log.error({ err: error, what }, 'event handling failed')
  }

  private onStorageError(error: unknown): void {
    if (error instanceof StorageUnavailableError) return
    if (error instanceof LeaseLostError) {
      this.log.warn('lease lost; closing the socket without logging out')
      void this.stop({ recordClose: false })
      this.options.onRelease(this.instance.id)
      return
    }
    this.log.error({ err: error }, 'session error')
    // A start (or the close handling before one) that failed for another reason, e.g. a database
    // error, would leave the instance held with no socket for good: it is tried again, with backoff.
    if (!this.socket && !this.stopped && !this.pausedForStorage && this.starting === 0) {
      clearTimeout(this.retryTimer)
      this.retryTimer = setTimeout(() => void this.start().catch((e) => this.onStorageError(e)), backoffDelay(this.retryAttempt++))
    }
  }
}
