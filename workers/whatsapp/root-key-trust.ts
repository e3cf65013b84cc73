// Makes this process's Baileys trust another WhatsApp server than WhatsApp's own: a Noise root key
// and, for media, a CA. Tests and the demo point the worker at the local simulator (`simulator/`)
// this way; production sets neither WA_ROOT_PUBLIC_KEY nor WA_MEDIA_CA and never calls it.
import { AsyncLocalStorage } from 'node:async_hooks'
import { Agent } from 'node:https'
import { readFileSync } from 'node:fs'
import { rootCertificates } from 'node:tls'
import { Agent as FetchDispatcher, buildConnector, setGlobalDispatcher } from 'undici'
import { DEF_MEDIA_HOST, WA_CERT_DETAILS } from '@whiskeysockets/baileys'
import type { Config } from '@/lib/config'

export interface RootKeyTrust {
  /** The server's Noise root public key, 32 bytes as hex (the simulator's rootPublicKeyHex). */
  rootPublicKeyHex: string
  /** PEM file of a CA to trust for media hosts, on top of the public roots. */
  mediaCaPath?: string
  /**
   * `host:port` of the media host that stands in for WhatsApp's default one (`DEF_MEDIA_HOST`):
   * Baileys downloads history-sync blobs by `directPath` alone from that host
   * (node_modules/@whiskeysockets/baileys/lib/Utils/history.js `downloadHistory`), so the fetch
   * dispatcher connects there instead. Needs `mediaCaPath`.
   */
  mediaHost?: string
  /**
   * Also make the process-wide fetch trust the media CA. Baileys downloads media with the global
   * fetch unless a dispatcher is passed in the download options.
   */
  globalFetch?: boolean
}

export interface TrustedTransport {
  /** Pass as makeWASocket({ fetchAgent }): media uploads go through node:https with this agent. */
  fetchAgent?: Agent
  /** Pass as downloadMediaMessage(msg, type, { options: { dispatcher } }) or downloadContentFromMessage(..., { options: { dispatcher } }). */
  dispatcher?: FetchDispatcher
  /** The trusted CAs (public roots plus the media CA), for other agents that reach media hosts (proxies). */
  ca?: string[]
}

/**
 * Swaps Baileys' hard-coded WhatsApp root key (`WA_CERT_DETAILS.PUBLIC_KEY`, defined in
 * node_modules/@whiskeysockets/baileys/lib/Defaults/index.js) for `rootPublicKeyHex`. The object
 * is exported and not frozen, and the Noise handshake reads the key when it checks the server's
 * certificate chain (lib/Utils/noise-handler.js), so assigning it before the first socket is
 * enough. It mutates the Baileys instance this module resolves, which is the worker's as long as
 * there is a single copy of the package.
 *
 * Downloads use fetch, which ignores https agents: use the returned dispatcher,
 * `globalFetch: true`, or start the process with NODE_EXTRA_CA_CERTS=<mediaCaPath>.
 */
export function trustRootKey(trust: RootKeyTrust): TrustedTransport {
  const key = Buffer.from(trust.rootPublicKeyHex, 'hex')
  if (key.length !== 32) throw new Error('rootPublicKeyHex must be 32 bytes of hex')
  ;(WA_CERT_DETAILS as { PUBLIC_KEY: Uint8Array }).PUBLIC_KEY = key
  if (!trust.mediaCaPath) return {}
  const ca = readFileSync(trust.mediaCaPath, 'utf8')
  // keep the public roots: the same fetch also reaches real hosts (webhooks)
  const dispatcher = new FetchDispatcher({ connect: mediaHostConnector([...rootCertificates, ca], trust.mediaHost) })
  if (trust.globalFetch) setGlobalDispatcher(dispatcher)
  return { fetchAgent: new Agent({ ca: [...rootCertificates, ca] }), dispatcher, ca: [...rootCertificates, ca] }
}

/** TLS connections trusting `ca`; one to WhatsApp's default media host goes to `mediaHost` instead, when given. */
function mediaHostConnector(ca: string[], mediaHost: string | undefined): buildConnector.connector {
  const connect = buildConnector({ ca })
  if (!mediaHost) return connect
  const target = new URL(`https://${mediaHost}`)
  return (options, callback) =>
    options.hostname === DEF_MEDIA_HOST
      ? connect({ ...options, hostname: target.hostname, host: target.host, port: target.port, servername: undefined }, callback)
      : connect(options, callback)
}

/** WA_ROOT_PUBLIC_KEY, WA_MEDIA_CA and WA_MEDIA_HOST from the configuration; does nothing (undefined) when the root key is unset. */
export function trustConfiguredRootKey(settings: Pick<Config, 'WA_ROOT_PUBLIC_KEY' | 'WA_MEDIA_CA' | 'WA_MEDIA_HOST'>): TrustedTransport | undefined {
  if (!settings.WA_ROOT_PUBLIC_KEY) return undefined
  return trustRootKey({ rootPublicKeyHex: settings.WA_ROOT_PUBLIC_KEY, mediaCaPath: settings.WA_MEDIA_CA || undefined, mediaHost: settings.WA_MEDIA_HOST || undefined, globalFetch: true })
}

/** The root key of the socket being created (and of everything its handshake runs), when it is not the process's. */
const socketRootKey = new AsyncLocalStorage<Uint8Array>()
let perSocketKeys = false

/**
 * Runs `create` (a makeWASocket call) so that its socket's handshake checks the server's chain
 * against `rootPublicKeyHex` instead of the process's key. Baileys has no per-socket option: the
 * handshake (lib/Utils/noise-handler.js) reads the process-wide `WA_CERT_DETAILS.PUBLIC_KEY` when
 * the server hello arrives. That read happens in a callback of the socket's own connection, which
 * Node runs in the async context the connection was opened in, so turning the field into a getter
 * that answers the key of the current context gives each socket its own key: a worker holds real
 * instances (WhatsApp's key, or WA_ROOT_PUBLIC_KEY) and sandbox ones (the sandbox's) at once.
 * Assignments (trustRootKey) still set the process's key.
 */
export function withRootKey<T>(rootPublicKeyHex: string, create: () => T): T {
  const key = Buffer.from(rootPublicKeyHex, 'hex')
  if (key.length !== 32) throw new Error('rootPublicKeyHex must be 32 bytes of hex')
  if (!perSocketKeys) {
    let processKey = (WA_CERT_DETAILS as { PUBLIC_KEY: Uint8Array }).PUBLIC_KEY
    Object.defineProperty(WA_CERT_DETAILS, 'PUBLIC_KEY', {
      configurable: true,
      enumerable: true,
      get: () => socketRootKey.getStore() ?? processKey,
      set: (value: Uint8Array) => {
        processKey = value
      },
    })
    perSocketKeys = true
  }
  return socketRootKey.run(key, create)
}

/** What a sandbox socket needs for media: the sandbox CA for uploads and downloads, and its world's media host for history blobs. */
export function sandboxTransport(mediaCaPem: string, mediaHost: string): Required<TrustedTransport> {
  const ca = [...rootCertificates, mediaCaPem]
  return { fetchAgent: new Agent({ ca }), dispatcher: new FetchDispatcher({ connect: mediaHostConnector(ca, mediaHost) }), ca }
}
