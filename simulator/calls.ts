// Calls, signalled the way WhatsApp does: a `<call>` stanza with one child (`offer`, `accept`,
// `reject`, `terminate`), carrying `call-id` and `call-creator`. Baileys reads them in `handleCall`
// (node_modules/@whiskeysockets/baileys/lib/Socket/messages-recv.js, statuses from
// `getCallStatusFromNode` in lib/Utils/generics.js) and rejects with `rejectCall`, a `<call>` with a
// `<reject>` child sent as a query: the server answers with an `<ack class="call">` of the same id.
// No media flows: a simulated call only rings, is answered, declined, times out or ends.
import { firstChild, node, unixNow, type BinaryNode } from './binary.js'
import type { Connection } from './connection.js'
import { randomId } from './curve.js'
import type { Hub } from './hub.js'
import type { Account } from './state.js'

export type CallStatus = 'ringing' | 'accepted' | 'rejected' | 'timeout' | 'terminated'
export type CallAction = 'accept' | 'reject' | 'timeout' | 'terminate'

/** A call as the control API shows it; `events` says who did what, in order. */
export interface SimulatedCall {
  id: string
  from: string
  to: string
  video: boolean
  groupJid: string | null
  status: CallStatus
  placedAt: number
  events: { action: 'offer' | CallAction; by: string; at: number }[]
}

export class CallError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

const STATUS_AFTER: Record<CallAction, CallStatus> = { accept: 'accepted', reject: 'rejected', timeout: 'timeout', terminate: 'terminated' }

/** Calls live in memory only: a call does not outlast the simulator. */
export class Calls {
  private readonly byId = new Map<string, SimulatedCall>()

  constructor(private readonly hub: Hub) {}

  list(phone?: string): SimulatedCall[] {
    return [...this.byId.values()].filter((call) => !phone || call.from === phone || call.to === phone)
  }

  get(id: string): SimulatedCall {
    const call = this.byId.get(id)
    if (!call) throw new CallError(404, `no call ${id}`)
    return call
  }

  /** `from`'s phone calls `to`: every device of `to` gets the offer (queued for offline ones, marked offline on delivery). */
  place(from: Account, to: Account, options: { video?: boolean; groupJid?: string }): SimulatedCall & { deliveries: { deviceId: number; status: string }[] } {
    if (!to.companions.length) throw new CallError(409, `${to.phone} has no linked device`)
    const call: SimulatedCall = {
      id: randomId(16),
      from: from.phone,
      to: to.phone,
      video: Boolean(options.video),
      groupJid: options.groupJid ?? null,
      status: 'ringing',
      placedAt: Date.now(),
      events: [{ action: 'offer', by: from.phone, at: Date.now() }],
    }
    this.byId.set(call.id, call)
    const media = [node('audio', { enc: 'opus', rate: 16000 }), node('audio', { enc: 'opus', rate: 8000 })]
    if (call.video) media.push(node('video', { enc: 'vp8', dec: 'vp8', orientation: 0, screen_width: 1080, screen_height: 2340, device_orientation: 0 }))
    const offer = node('offer', { ...this.callAttrs(call), ...(call.groupJid ? { 'group-jid': call.groupJid, type: 'group' } : {}) }, [
      ...media,
      node('net', { medium: 3 }),
      node('encopt', { keygen: 2 }),
    ])
    const deliveries = this.toCallee(call, from, offer)
    return { ...call, deliveries }
  }

  /**
   * Something happens to a ringing call on the phones' side: the callee's phone answers or
   * declines, nobody answers (timeout), or the caller hangs up. The callee's linked devices hear of it.
   */
  act(id: string, action: CallAction): SimulatedCall {
    const call = this.get(id)
    if (call.status !== 'ringing') throw new CallError(409, `call ${id} is already ${call.status}`)
    const caller = this.hub.world.account(call.from)
    if (!caller) throw new CallError(404, `no account ${call.from}`)
    const attrs = this.callAttrs(call)
    const stanza = action === 'timeout' ? node('terminate', { ...attrs, reason: 'timeout' }) : node(action, attrs)
    this.toCallee(call, caller, stanza)
    call.status = STATUS_AFTER[action]
    call.events.push({ action, by: action === 'terminate' ? call.from : action === 'timeout' ? 'server' : `${call.to}:0`, at: Date.now() })
    return call
  }

  /** A linked device's own `<call>` (Baileys' `rejectCall`): recorded, and acknowledged so its query resolves. */
  handleClientCall(conn: Connection, stanza: BinaryNode): void {
    const info = firstChild(stanza)
    const callId = info?.attrs['call-id']
    conn.send(node('ack', { id: stanza.attrs.id, class: 'call', type: info?.tag, from: stanza.attrs.to }))
    const call = callId ? this.byId.get(callId) : undefined
    if (!call || !info || !conn.login) return
    const by = `${conn.login.phone}:${conn.login.deviceId}`
    if (info.tag === 'reject' || info.tag === 'accept') {
      call.events.push({ action: info.tag, by, at: Date.now() })
      if (call.status === 'ringing') call.status = STATUS_AFTER[info.tag]
    }
  }

  private callAttrs(call: SimulatedCall) {
    return { 'call-id': call.id, 'call-creator': `${call.from}@s.whatsapp.net` }
  }

  private toCallee(call: SimulatedCall, caller: Account, info: BinaryNode) {
    const callee = this.hub.world.account(call.to)
    if (!callee) throw new CallError(404, `no account ${call.to}`)
    return callee.companions.map((companion) => ({
      deviceId: companion.deviceId,
      status: this.hub.deliver(callee.phone, companion.deviceId, node('call', { from: `${caller.phone}@s.whatsapp.net`, id: randomId(8), t: unixNow(), notify: caller.name, platform: 'android', version: '2.25.1.75' }, [info])),
    }))
  }
}

