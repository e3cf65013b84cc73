// JSON control surface for tests and the demo (documented in README.md).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Hub } from './hub.js'
import { PairingError, scanQr } from './pairing.js'
import { ComposeError, composeMessage, type ComposeInput } from './compose.js'
import { composeVote, type VoteInput } from './polls.js'
import { sendFromPhoneWithCopies } from './outbound.js'
import { addressingOf, chatJidOf } from './addressing.js'
import { sendReceipt, type ReceiptKind } from './receipts.js'
import { unlinkCompanions } from './unlink.js'
import { normalisePhone } from './world.js'
import { groupRoutes } from './groups-control.js'
import { appStateRoutes } from './app-state-control.js'
import { submitPairingCode } from './pairing-code.js'
import type { Account, AccountProfile } from './state.js'
import type { SimulatorAccount } from './client.js'
import { CallError, type CallAction } from './calls.js'
import { RetryError, requestRetry, sendUnreadable, setDecryptFailures } from './retries.js'
import { HistoryInputError, seedHistory } from './history.js'
import { PresenceError, parseChatState, presenceView } from './presence.js'
import { setSendingLimits } from './sending-limits.js'
import { BUNDLED_VERSION, parseClientVersion, serviceWorkerScript } from './client-version.js'

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

/** A route's answer that is not JSON (the service worker script). */
class RawBody {
  constructor(readonly contentType: string, readonly text: string) {}
}

export type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
export type Route = [method: string, pattern: RegExp, handler: (params: string[], body: Json, query: URLSearchParams) => Promise<unknown> | unknown]

function accountSummary(a: Account): SimulatorAccount {
  return {
    phone: a.phone,
    jid: `${a.phone}@s.whatsapp.net`,
    lid: `${a.lid}@lid`,
    name: a.name,
    addressing: addressingOf(a),
    companions: a.companions.map((c) => ({ deviceId: c.deviceId, keyIndex: c.keyIndex, createdAt: c.createdAt, queued: c.queue.length, unacked: (c.unacked ?? []).map((entry) => entry.key), uploadedPreKeys: Object.keys(c.preKeys).length }))
  }
}

export function requireAccount(hub: Hub, phone: string): Account {
  const a = hub.world.account(phone)
  if (!a) throw new HttpError(404, `no account ${phone}`)
  return a
}

/** `{addressing: 'pn'|'lid', sharePhoneNumber?}` from a control-API body, or undefined when absent. */
function addressingFrom(body: Json): Account['addressing'] {
  if (body.addressing === undefined) return undefined
  if (body.addressing !== 'pn' && body.addressing !== 'lid') throw new HttpError(400, 'addressing must be pn or lid')
  return { mode: body.addressing, sharesPhoneNumber: body.sharePhoneNumber !== false }
}

function routes(hub: Hub): Route[] {
  const world = hub.world
  return [
    ['GET', /^\/health$/, () => ({ ok: true })],
    ['GET', /^\/sessions$/, () => [...hub.connections].map((c) => ({
      id: c.id,
      phone: c.login?.phone,
      deviceId: c.login?.deviceId,
      jid: c.login ? `${c.login.phone}:${c.login.deviceId}@s.whatsapp.net` : undefined,
      state: c.login ? (c.online ? 'online' : 'logging-in') : c.registration ? 'pairing' : 'handshake',
      connectedAt: c.connectedAt,
      clientVersion: c.clientVersion
    }))],
    ['GET', /^\/accounts$/, () => Object.values(world.state.accounts).map(accountSummary)],
    ['POST', /^\/accounts$/, (_p, body) => {
      const addressing = addressingFrom(body)
      const a = world.ensureAccount(String(body.phone ?? ''), body.name)
      if (!a) throw new HttpError(409, 'number is marked as not on WhatsApp')
      if (addressing) {
        a.addressing = addressing
        world.changed()
      }
      return accountSummary(a)
    }],
    ['PUT', /^\/accounts\/(\d+)\/addressing$/, ([phone], body) => {
      const a = requireAccount(hub, phone)
      a.addressing = addressingFrom({ addressing: body.addressing ?? 'pn', sharePhoneNumber: body.sharePhoneNumber })
      world.changed()
      return accountSummary(a)
    }],
    ['GET', /^\/accounts\/(\d+)$/, ([phone]) => accountSummary(requireAccount(hub, phone))],
    ['POST', /^\/pair\/qr$/, async (_p, body) => scanQr(hub, String(body.qr ?? ''), String(body.phone ?? ''), body.name)],
    ['POST', /^\/pair\/code$/, async (_p, body) => submitPairingCode(hub, String(body.phone ?? ''), String(body.code ?? ''))],
    ['POST', /^\/accounts\/(\d+)\/send$/, async ([phone], body) => {
      const from = world.ensureAccount(phone)
      if (!from) throw new HttpError(409, `${phone} is marked as not on WhatsApp`)
      const to = requireAccount(hub, normalisePhone(String(body.to ?? '')))
      if (!to.companions.length && !from.companions.length) throw new HttpError(409, `neither ${to.phone} nor ${from.phone} has a linked device`)
      const message = body.vote ? composeVote(from, body.vote as VoteInput, chatJidOf(to)) : composeMessage(body as ComposeInput, hub.media, chatJidOf(to))
      if (body.undecryptable) return sendUnreadable(hub, from, to, message, { id: body.id, ...body.undecryptable })
      return sendFromPhoneWithCopies(hub, from, to, message, { id: body.id })
    }],
    ['PUT', /^\/accounts\/(\d+)\/decrypt-failures$/, ([phone], body) => setDecryptFailures(hub, requireAccount(hub, phone), body)],
    ['POST', /^\/accounts\/(\d+)\/retry$/, ([phone], body) => requestRetry(hub, requireAccount(hub, phone), String(body.id ?? ''), body.includeKeys === true)],
    ['GET', /^\/accounts\/(\d+)\/retries$/, ([phone]) => {
      const account = requireAccount(hub, phone)
      return { failures: account.decryptFailures ?? null, undecrypted: account.undecrypted ?? [], requests: account.retryRequests ?? [] }
    }],
    ['GET', /^\/accounts\/(\d+)\/messages$/, ([phone], _b, q) => {
      const from = q.get('from')
      const since = Number(q.get('since') ?? 0)
      return requireAccount(hub, phone).inbox.filter((m) =>
        m.receivedAt >= since && (!from || m.from.startsWith(normalisePhone(from)) || m.chat.startsWith(normalisePhone(from))))
    }],
    ['PUT', /^\/accounts\/(\d+)\/history$/, ([phone], body) => {
      const a = world.ensureAccount(phone)
      if (!a) throw new HttpError(409, `${phone} is marked as not on WhatsApp`)
      a.history = seedHistory(hub, a, body)
      world.changed()
      return { chats: a.history.chats.length, messages: a.history.chats.reduce((n, c) => n + c.messages.length, 0) }
    }],
    ['GET', /^\/accounts\/(\d+)\/history$/, ([phone]) => {
      const a = requireAccount(hub, phone)
      return { seeded: a.history ?? null, pushes: a.historyPushes ?? [] }
    }],
    ['GET', /^\/accounts\/(\d+)\/receipts$/, ([phone]) => requireAccount(hub, phone).receipts],
    ['GET', /^\/accounts\/(\d+)\/privacy-tokens$/, ([phone]) => requireAccount(hub, phone).privacyTokensIssued ?? []],
    ['GET', /^\/accounts\/(\d+)\/blocklist$/, ([phone]) => requireAccount(hub, phone).blocked ?? []],
    ['PUT', /^\/accounts\/(\d+)\/profile$/, ([phone], body) => {
      const account = requireAccount(hub, phone)
      const input = (body ?? {}) as { about?: string; picture?: boolean; business?: AccountProfile['business'] | null }
      const profile: AccountProfile = { ...account.profile }
      if (input.about !== undefined) profile.about = input.about
      if (input.picture !== undefined) profile.pictureId = input.picture ? String(Date.now()) : undefined
      if (input.business !== undefined) profile.business = input.business ?? undefined
      account.profile = profile
      hub.world.changed()
      return profile
    }],
    ['GET', /^\/accounts\/(\d+)\/profile$/, ([phone]) => {
      const account = requireAccount(hub, phone)
      return { name: account.name, ...account.profile }
    }],
    // Presence (presence.ts): the phone goes online or offline, or types in a chat; what it saw.
    ['PUT', /^\/accounts\/(\d+)\/presence$/, ([phone], body) => {
      const account = requireAccount(hub, phone)
      if (typeof body.available !== 'boolean') throw new HttpError(400, 'available must be true or false')
      hub.presence.setPresence(account, body.available)
      return presenceView(hub, account)
    }],
    ['POST', /^\/accounts\/(\d+)\/chatstate$/, ([phone], body) => hub.presence.relayChatstate(requireAccount(hub, phone), String(body.to ?? ''), parseChatState(body.state))],
    ['GET', /^\/accounts\/(\d+)\/presence$/, ([phone]) => presenceView(hub, requireAccount(hub, phone))],
    ['POST', /^\/accounts\/(\d+)\/receipts$/, ([phone], body) => {
      const from = requireAccount(hub, phone)
      const to = requireAccount(hub, normalisePhone(String(body.to ?? '')))
      const kind = (body.type ?? 'delivery') as ReceiptKind
      if (!['delivery', 'read', 'played'].includes(kind)) throw new HttpError(400, 'type must be delivery, read or played')
      const ids = (body.ids ?? []) as string[]
      if (!ids.length) throw new HttpError(400, 'ids required')
      return to.companions.map((c) => ({ deviceId: c.deviceId, status: sendReceipt(hub, { phone: to.phone, deviceId: c.deviceId }, `${from.phone}@s.whatsapp.net`, ids, kind) }))
    }],
    ['PUT', /^\/settings\/receipts$/, (_p, body) => {
      const timing = { deliveryMs: body.deliveryMs ?? null, readMs: body.readMs ?? null }
      if (body.phone) requireAccount(hub, String(body.phone)).receiptTiming = timing
      else world.state.receiptTiming = timing
      world.changed()
      return timing
    }],
    ['POST', /^\/numbers\/not-on-whatsapp$/, (_p, body) => {
      world.setNotOnWhatsApp((body.phones ?? []) as string[], body.notOnWhatsApp !== false)
      return { notOnWhatsApp: world.state.notOnWhatsApp }
    }],
    ['GET', /^\/sw\.js$/, () => new RawBody('text/javascript', serviceWorkerScript(world.state.clientVersion))],
    ['PUT', /^\/settings\/client-version$/, (_p, body) => {
      const settings = { current: null, minimum: null, ...world.state.clientVersion }
      for (const field of ['current', 'minimum'] as const) {
        if (body[field] === undefined) continue
        if (body[field] !== null && !parseClientVersion(body[field])) throw new HttpError(400, `${field} must be a version like 2.3000.1023456789, or null`)
        settings[field] = body[field]
      }
      world.state.clientVersion = settings
      world.changed()
      return { current: settings.current ?? BUNDLED_VERSION, minimum: settings.minimum }
    }],
    ['PUT', /^\/settings\/auto-register$/, (_p, body) => {
      world.state.autoRegister = body.enabled !== false
      world.changed()
      return { autoRegister: world.state.autoRegister }
    }],
    ['POST', /^\/accounts\/(\d+)\/unlink$/, ([phone], body) => {
      requireAccount(hub, phone)
      return { removed: unlinkCompanions(hub, phone, body.deviceId === undefined ? undefined : Number(body.deviceId)) }
    }],
    // The network drops the companions' connections (no stream error): Baileys sees the socket
    // close and reconnects with its stored session, as after a real connection loss.
    ['POST', /^\/accounts\/(\d+)\/drop$/, ([phone]) => {
      const account = requireAccount(hub, phone)
      const dropped = account.companions.map((c) => hub.live(account.phone, c.deviceId)).filter((c) => c !== undefined)
      for (const conn of dropped) conn.close()
      return { dropped: dropped.length }
    }],
    // A temporary ban: live connections drop, logins are refused with 402 until it expires. With
    // `permanent: true` they are refused with 403 until `DELETE …/ban` lifts it.
    ['POST', /^\/accounts\/(\d+)\/ban$/, ([phone], body) => {
      const account = requireAccount(hub, phone)
      const seconds = Number(body.seconds ?? 3600)
      if (!Number.isInteger(seconds) || seconds < 0) throw new HttpError(400, 'seconds must be a whole number, 0 or more')
      if (body.permanent !== undefined && typeof body.permanent !== 'boolean') throw new HttpError(400, 'permanent must be true or false')
      account.bannedForGood = body.permanent === true
      account.bannedUntil = body.permanent === true ? undefined : Date.now() + seconds * 1000
      world.changed()
      for (const c of account.companions) hub.live(account.phone, c.deviceId)?.close()
      return { bannedUntil: account.bannedUntil }
    }],
    ['DELETE', /^\/accounts\/(\d+)\/ban$/, ([phone]) => {
      const account = requireAccount(hub, phone)
      account.bannedUntil = undefined
      account.bannedForGood = false
      world.changed()
      return { banned: false }
    }],
    ['PUT', /^\/accounts\/(\d+)\/sending-limits$/, ([phone], body) => {
      try {
        return setSendingLimits(hub, requireAccount(hub, phone), body)
      } catch (error) {
        if (error instanceof HttpError) throw error
        throw new HttpError(400, (error as Error).message)
      }
    }],
    ['POST', /^\/accounts\/(\d+)\/calls$/, ([phone], body) => {
      const from = world.ensureAccount(phone)
      if (!from) throw new HttpError(409, `${phone} is marked as not on WhatsApp`)
      const to = requireAccount(hub, normalisePhone(String(body.to ?? '')))
      return hub.calls.place(from, to, { video: body.video === true, groupJid: body.groupJid ? String(body.groupJid) : undefined })
    }],
    ['GET', /^\/accounts\/(\d+)\/calls$/, ([phone]) => hub.calls.list(requireAccount(hub, phone).phone)],
    ['GET', /^\/calls\/([0-9A-F]+)$/, ([id]) => hub.calls.get(id)],
    ['POST', /^\/calls\/([0-9A-F]+)\/(accept|reject|timeout|terminate)$/, ([id, action]) => hub.calls.act(id, action as CallAction)],
    ['GET', /^\/media\/uploads$/, () => hub.media?.uploads() ?? []],
    ...groupRoutes(hub),
    ...appStateRoutes(hub)
  ]
}

function readJson(req: IncomingMessage): Promise<Json> {
  return new Promise((resolve, reject) => {
    let raw = ''
    req.on('data', (c) => (raw += c))
    req.on('end', () => {
      if (!raw) return resolve({})
      try {
        resolve(JSON.parse(raw) as Json)
      } catch {
        reject(new HttpError(400, 'invalid JSON'))
      }
    })
    req.on('error', reject)
  })
}

export async function startControlApi(hub: Hub, opts: { host: string; port: number }) {
  const table = routes(hub)
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const reply = (status: number, data: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(data ?? null))
    }
    void (async () => {
      for (const [method, pattern, handler] of table) {
        const m = pattern.exec(url.pathname)
        if (!m || method !== req.method) continue
        const answer = await handler(m.slice(1).map(decodeURIComponent), await readJson(req), url.searchParams)
        if (answer instanceof RawBody) {
          res.writeHead(200, { 'content-type': answer.contentType })
          return res.end(answer.text)
        }
        return reply(200, answer)
      }
      throw new HttpError(404, `no route ${req.method} ${url.pathname}`)
    })().catch((err: unknown) => {
      if (err instanceof HttpError || err instanceof PairingError) return reply(err.status, { error: err.message })
      if (err instanceof ComposeError || err instanceof HistoryInputError) return reply(400, { error: err.message })
      if (err instanceof CallError || err instanceof RetryError || err instanceof PresenceError) return reply(err.status, { error: err.message })
      reply(500, { error: String(err instanceof Error ? err.message : err) })
    })
  })
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => resolve((server.address() as AddressInfo).port))
  })
  return {
    url: `http://${opts.host}:${port}`,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections()
      server.close(() => r())
    })
  }
}
