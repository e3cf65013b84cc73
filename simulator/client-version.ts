// The WhatsApp Web client version: the one WhatsApp serves to browsers (its service worker script
// carries `client_revision`) and the oldest it still lets in. A client announces its version in the
// ClientPayload of every login and registration (`userAgent.appVersion`: Baileys'
// `getUserAgent` in node_modules/@whiskeysockets/baileys/lib/Utils/validate-connection.js); one
// below the minimum gets `<failure reason="405"/>`, whatsmeow's ConnectFailureClientOutdated, which
// Baileys turns into a close with status 405 (the CB:failure handler in lib/Socket/socket.js).
import { DEFAULT_CONNECTION_CONFIG, type proto } from '@whiskeysockets/baileys'
import { node } from './binary.js'
import type { Connection } from './connection.js'
import type { WorldState } from './state.js'

export const CLIENT_OUTDATED = 405

/** What a default simulator serves as current: the version this Baileys ships with. */
export const BUNDLED_VERSION = DEFAULT_CONNECTION_CONFIG.version.join('.')


/** "2.3000.1023456789" → its three numbers, or undefined when it is not one. */
export function parseClientVersion(text: unknown): [number, number, number] | undefined {
  if (typeof text !== 'string' || !/^\d{1,10}\.\d{1,10}\.\d{1,10}$/.test(text)) return undefined
  return text.split('.').map(Number) as [number, number, number]
}

/** The dotted version of a ClientPayload, `0.0.0` when it announces none. */
export function announcedVersion(payload: proto.IClientPayload): string {
  const app = payload.userAgent?.appVersion
  return [app?.primary, app?.secondary, app?.tertiary].map((part) => Number(part ?? 0)).join('.')
}

function below(version: string, minimum: string): boolean {
  const a = parseClientVersion(version) ?? [0, 0, 0]
  const b = parseClientVersion(minimum) ?? [0, 0, 0]
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i]
  return false
}

/** Refuses a client older than the minimum as WhatsApp does; true when it was refused. */
export function refuseOutdatedClient(settings: WorldState['clientVersion'], conn: Connection, payload: proto.IClientPayload): boolean {
  const minimum = settings?.minimum
  if (!minimum || !below(announcedVersion(payload), minimum)) return false
  conn.send(node('failure', { reason: CLIENT_OUTDATED }))
  setTimeout(() => conn.close(), 50)
  return true
}

/**
 * WhatsApp's service worker script as far as version readers look at it: Baileys'
 * `fetchLatestWaWebVersion` (lib/Utils/generics.js) takes `"client_revision": N` from it and
 * announces 2.3000.N. The rest of the real script is left out.
 */
export function serviceWorkerScript(settings: WorldState['clientVersion']): string {
  const [, , revision] = parseClientVersion(settings?.current ?? BUNDLED_VERSION) ?? parseClientVersion(BUNDLED_VERSION)!
  return `self.__swData=JSON.parse(${JSON.stringify(JSON.stringify({ dynamic_data: { SiteData: { client_revision: revision } } }))});\n`
}
