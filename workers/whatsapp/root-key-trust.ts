// Client-side shim: makes this process's Baileys trust a simulator (notes §3).
// Only call it when the simulator settings are configured; production never should.
import { Agent } from 'node:https'
import { readFileSync } from 'node:fs'
import { rootCertificates } from 'node:tls'
import { Agent as FetchDispatcher, setGlobalDispatcher } from 'undici'
import { WA_CERT_DETAILS } from '@whiskeysockets/baileys'

export interface SimulatorTrust {
  /** Simulator's Noise root public key, 32 bytes as hex (the simulator's rootPublicKeyHex, env WA_ROOT_PUBLIC_KEY). */
  rootPublicKeyHex: string
  /** PEM file of the simulator's media CA (env WA_MEDIA_CA). */
  mediaCaPath?: string
  /**
   * Also make the process-wide fetch trust the media CA (on top of the usual
   * public roots). Baileys downloads media with the global fetch unless a
   * dispatcher is passed in the download options.
   */
  globalFetch?: boolean
}

export interface TrustResult {
  /** Pass as makeWASocket({ fetchAgent }): media uploads go through node:https with this agent. */
  fetchAgent?: Agent
  /** Pass as downloadMediaMessage(msg, type, { options: { dispatcher } }) or downloadContentFromMessage(..., { options: { dispatcher } }). */
  dispatcher?: FetchDispatcher
}

/**
 * Swaps Baileys' hard-coded WhatsApp root key for the simulator's. It mutates
 * the WA_CERT_DETAILS object of the Baileys instance this module resolves,
 * which is the one the worker uses as long as there is a single copy of the
 * package; it is read at handshake time, so call this before connecting.
 *
 * Downloads use fetch, which ignores https agents: use the returned
 * dispatcher, `globalFetch: true`, or start the process with
 * NODE_EXTRA_CA_CERTS=<mediaCaPath>.
 */
export function trustSimulator(trust: SimulatorTrust): TrustResult {
  const key = Buffer.from(trust.rootPublicKeyHex, 'hex')
  if (key.length !== 32) throw new Error('rootPublicKeyHex must be 32 bytes of hex')
  ;(WA_CERT_DETAILS as { PUBLIC_KEY: Uint8Array }).PUBLIC_KEY = key
  if (!trust.mediaCaPath) return {}
  const ca = readFileSync(trust.mediaCaPath, 'utf8')
  // keep the public roots: the same fetch also reaches real hosts (webhooks)
  const dispatcher = new FetchDispatcher({ connect: { ca: [...rootCertificates, ca] } })
  if (trust.globalFetch) setGlobalDispatcher(dispatcher)
  return { fetchAgent: new Agent({ ca: [...rootCertificates, ca] }), dispatcher }
}

/** Reads WA_ROOT_PUBLIC_KEY / WA_MEDIA_CA; does nothing when the root key is unset. */
export function trustSimulatorFromEnv(env: Record<string, string | undefined>): TrustResult | undefined {
  if (!env.WA_ROOT_PUBLIC_KEY) return undefined
  return trustSimulator({ rootPublicKeyHex: env.WA_ROOT_PUBLIC_KEY, mediaCaPath: env.WA_MEDIA_CA || undefined, globalFetch: true })
}
