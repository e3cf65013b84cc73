// What WhatsApp answers a number it is restricting (README.md, "Sending limits"): the signals SAGE's
// auto-pause acts on (lib/instances/send-health.ts). Set per account through the control API.
//
// - rate-overlimit: the IQs a send makes before its message stanza (usync device lists and contact
//   checks, pre-key fetches) are answered `<iq type="error"><error code="429" text="rate-overlimit"/></iq>`.
//   Baileys' `query` throws that as Boom('rate-overlimit', {data: 429}) (assertNodeErrorFree in
//   node_modules/@whiskeysockets/baileys/lib/WABinary/generic-utils.js), so sendMessage rejects and
//   nothing is sent. A send whose devices Baileys still has cached (5 min) makes no usync and passes.
// - refused sends: the message stanza is acknowledged `<ack class="message" error="…">` and goes
//   nowhere; Baileys' handleBadAck (lib/Socket/messages-recv.js) turns it into messages.update with
//   status ERROR and the code in messageStubParameters (463: "account restricted", reach-out timelock).
import { firstChild, iqError, node, unixNow, type BinaryNode } from './binary.js'
import type { Connection } from './connection.js'
import type { Hub } from './hub.js'
import type { Account } from './state.js'

export type SendingLimits = {
  rateOverlimit: boolean
  /** The `error` of the ack every message stanza gets (e.g. "463"); null: sends go through. */
  refuseSendsWith: string | null
}

function limitsOf(hub: Hub, conn: Connection): SendingLimits | undefined {
  return conn.login ? hub.world.account(conn.login.phone)?.sendingLimits : undefined
}

/** Answers the IQ with rate-overlimit when its sender is over the limit; true when it did. */
export function refuseOverLimitIq(hub: Hub, conn: Connection, iq: BinaryNode): boolean {
  if (!limitsOf(hub, conn)?.rateOverlimit) return false
  const { xmlns, id } = iq.attrs
  const limited = xmlns === 'usync' || (xmlns === 'encrypt' && firstChild(iq)?.tag === 'key')
  if (limited) conn.send(iqError(id, 429, 'rate-overlimit'))
  return limited
}

/** Acknowledges a message stanza with an error when its sender's sends are refused; true when it did. */
export function refuseSend(hub: Hub, conn: Connection, stanza: BinaryNode): boolean {
  const code = limitsOf(hub, conn)?.refuseSendsWith
  // A peer message (to the own devices: app state, receipts' keys) is not a send to anyone.
  if (!code || stanza.attrs.category === 'peer') return false
  conn.send(node('ack', { class: 'message', id: stanza.attrs.id, from: stanza.attrs.to, t: unixNow(), error: code }))
  return true
}

/** Control API: `PUT /accounts/{phone}/sending-limits`; an absent field keeps its value. */
export function setSendingLimits(hub: Hub, account: Account, body: { rateOverlimit?: unknown; refuseSendsWith?: unknown }): SendingLimits {
  const current: SendingLimits = account.sendingLimits ?? { rateOverlimit: false, refuseSendsWith: null }
  if (body.rateOverlimit !== undefined && typeof body.rateOverlimit !== 'boolean') throw new Error('rateOverlimit must be true or false')
  if (body.refuseSendsWith !== undefined && body.refuseSendsWith !== null && !/^\d{3}$/.test(String(body.refuseSendsWith))) throw new Error('refuseSendsWith must be a 3-digit error code or null')
  account.sendingLimits = {
    rateOverlimit: (body.rateOverlimit as boolean | undefined) ?? current.rateOverlimit,
    refuseSendsWith: body.refuseSendsWith === undefined ? current.refuseSendsWith : body.refuseSendsWith === null ? null : String(body.refuseSendsWith),
  }
  hub.world.changed()
  return account.sendingLimits
}
