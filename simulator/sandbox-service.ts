// The sandbox service: one simulator world per account, run as a long-lived process next to the
// workers (`npm run sandbox`, or inside `npm start`). Each world is a whole simulator of its own
// (its own accounts, phones, groups and state directory), so two accounts that both make a contact
// +1 555 000 0001 talk to two different phones and never see each other's traffic. Everything
// listens on the loopback interface only: sandbox traffic never leaves the machine.
import { cpSync, existsSync, mkdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { startSimulator, type Simulator } from './simulator.js'
import type { SandboxWorld } from './client.js'

/** The sandbox's root key seed: the same on every machine, so workers can trust it ahead of time. */
export const SANDBOX_ROOT_SEED = 'sage-api sandbox root key v1'

export interface SandboxServiceOptions {
  /** The manager's HTTP port (0 = any free port). */
  port?: number
  host?: string
  /** Where every world keeps its state (`worlds/<world>/`) and the media CA they share (`media-tls/`). */
  dataDir: string
}

export interface SandboxService {
  url: string
  worlds: Map<string, Promise<Simulator>>
  stop(): Promise<void>
}

const WORLD_NAME = /^[a-z0-9-]{1,64}$/

export async function startSandboxService(options: SandboxServiceOptions): Promise<SandboxService> {
  const host = options.host ?? '127.0.0.1'
  const worlds = new Map<string, Promise<Simulator>>()
  const sharedTls = join(options.dataDir, 'media-tls')
  // Worlds start one at a time: the first one's media CA becomes the one all of them share.
  let starting: Promise<unknown> = Promise.resolve()

  function world(name: string): Promise<Simulator> {
    let started = worlds.get(name)
    if (!started) {
      const dataDir = join(options.dataDir, 'worlds', name)
      started = starting.then(async () => {
        // One CA for every world: a worker trusts it once for all sandbox media hosts.
        if (existsSync(sharedTls) && !existsSync(join(dataDir, 'media-tls'))) cpSync(sharedTls, join(dataDir, 'media-tls'), { recursive: true })
        mkdirSync(dataDir, { recursive: true })
        const simulator = await startSimulator({ host, dataDir, rootSeed: SANDBOX_ROOT_SEED })
        if (!existsSync(sharedTls)) cpSync(join(dataDir, 'media-tls'), sharedTls, { recursive: true })
        return simulator
      })
      starting = started.catch(() => undefined)
      started.catch(() => worlds.delete(name))
      worlds.set(name, started)
    }
    return started
  }

  const server: Server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    const url = new URL(req.url ?? '/', 'http://sandbox')
    if (req.method === 'GET' && url.pathname === '/health') return reply(200, { ok: true, worlds: worlds.size })
    const match = /^\/worlds\/([^/]+)$/.exec(url.pathname)
    if (req.method !== 'POST' || !match) return reply(404, { error: 'not found' })
    const name = decodeURIComponent(match[1])
    if (!WORLD_NAME.test(name)) return reply(400, { error: 'world names are 1–64 lowercase letters, digits and dashes' })
    world(name).then(
      (simulator) =>
        reply(200, {
          world: name,
          wsUrl: simulator.wsUrl,
          controlUrl: simulator.controlUrl,
          mediaUrl: simulator.mediaUrl,
          rootPublicKeyHex: simulator.rootPublicKeyHex,
          mediaCaPem: simulator.mediaCaPem,
        } satisfies SandboxWorld),
      (error: Error) => reply(500, { error: error.message }),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port

  return {
    url: `http://${host}:${port}`,
    worlds,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      const started = await Promise.allSettled(worlds.values())
      await Promise.all(started.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)))
      worlds.clear()
    },
  }
}
