// Wires the pieces together: WebSocket endpoint, media host, control API, state.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import { quietLibsignal } from '@/lib/runtime/quiet-libsignal'
import { makeServerIdentity } from './certs.js'
import { Connection } from './connection.js'
import { startControlApi } from './control-api.js'
import { Hub } from './hub.js'
import { startMediaHost } from './media-host.js'
import { WorldStore } from './store.js'
import { World } from './world.js'

export interface SimulatorOptions {
  /** WebSocket port; 0 = any free port. */
  port?: number
  /** Control API port; 0 (default) = any free port. */
  controlPort?: number
  /** Media HTTPS port; 0 (default) = any free port. */
  mediaPort?: number
  /** Where state (pairings, keys, queues, media) is kept; in memory only when unset. */
  dataDir?: string
  host?: string
  /** Seed of the root key; the same seed always gives the same WA_ROOT_PUBLIC_KEY. */
  rootSeed?: string
  /** Log every stanza and connection error to stderr. */
  debug?: boolean
}

export interface Simulator {
  wsUrl: string
  controlUrl: string
  mediaUrl: string
  rootPublicKeyHex: string
  mediaCaPem: string
  /** File holding mediaCaPem (inside dataDir, or a temp dir). */
  mediaCaPath: string
  hub: Hub
  stop(): Promise<void>
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port))
  })
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  // The simulated phones run libsignal in this process, which would print whole Signal session
  // records (keys included) to the console of whatever hosts the simulator: a test run, the demo.
  quietLibsignal()
  const host = options.host ?? '127.0.0.1'
  const identity = makeServerIdentity(options.rootSeed)
  const store = new WorldStore(options.dataDir)
  const hub = new Hub(new World(store), identity, options.debug)

  const media = await startMediaHost({ host, port: options.mediaPort ?? 0, dataDir: options.dataDir })
  hub.media = media

  const httpServer = createServer((_req, res) => {
    res.writeHead(426).end('WebSocket only')
  })
  const wss = new WebSocketServer({ server: httpServer })
  wss.on('connection', (ws) => hub.attach(new Connection(ws, identity, hub)))
  const wsPort = await listen(httpServer, options.port ?? 0, host)
  const control = await startControlApi(hub, { host, port: options.controlPort ?? 0 })

  return {
    wsUrl: `ws://${host}:${wsPort}/ws/chat`,
    controlUrl: control.url,
    mediaUrl: media.url,
    rootPublicKeyHex: identity.root.public.toString('hex'),
    mediaCaPem: media.caPem,
    mediaCaPath: media.caPath,
    hub,
    async stop() {
      hub.stop()
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((r) => wss.close(() => r()))
      await new Promise<void>((r) => httpServer.close(() => r()))
      await control.close()
      await media.close()
      store.flush()
    }
  }
}
