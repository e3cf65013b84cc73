// Presence ("online", "last seen") and chat states ("typing…", "recording audio…"), as WhatsApp's
// server relays them. The client side is Baileys' `sendPresenceUpdate`, `presenceSubscribe` and
// `handlePresenceUpdate` (node_modules/@whiskeysockets/baileys/lib/Socket/chats.js) and whatsmeow's
// `SendPresence`, `SubscribePresence`, `SendChatPresence`, `handlePresence`, `handleChatState`
// (presence.go):
// - `<presence type="available|unavailable" name>` sets the account online or offline and, with
//   `name`, its push name (whatsmeow: "call this at least once after connecting so that the server
//   has your pushname"; Baileys sends `<presence name>` alone when its name changes, socket.js);
// - `<presence type="subscribe" to>` asks for someone's presence on this connection: the server
//   answers with their current presence and sends each change until the connection ends. (whatsmeow's
//   SubscribePresence adds "it seems that the WhatsApp servers require you to be online to receive
//   presence": an observation, not modelled: here an offline connection gets presence too);
// - `<chatstate to><composing [media="audio"]/>|<paused/></chatstate>` goes to the chat partner as
//   `<chatstate from><…/></chatstate>`, or to every member of a group as `<chatstate from="group"
//   participant>`, on connections that subscribed to the sender (or the group). Chat states are not
//   queued: a device that is offline never sees them.
import { firstChild, node, unixNow, type BinaryNode } from './binary.js'
import type { Connection } from './connection.js'
import type { Hub } from './hub.js'
import { chatJidOf, groupSenderAttrs } from './addressing.js'
import { findGroup, groupJid } from './groups.js'
import type { Account, ChatstateRecord } from './state.js'

export type ChatState = ChatstateRecord['state']
export const CHAT_STATES: ChatState[] = ['composing', 'recording', 'paused']
const KEPT_CHATSTATES = 100

export class PresenceError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

/** `<composing media="audio"/>` is "recording": how Baileys writes and reads it. */
function stateNode(state: ChatState): BinaryNode {
  return state === 'recording' ? node('composing', { media: 'audio' }) : node(state, {})
}

function stateOf(stanza: BinaryNode): ChatState | undefined {
  const first = firstChild(stanza)
  if (first?.tag === 'composing') return first.attrs.media === 'audio' ? 'recording' : 'composing'
  if (first?.tag === 'paused') return 'paused'
  return undefined
}

export class Presence {
  constructor(private readonly hub: Hub) {}

  /** A companion's `<presence>`: available / unavailable, a push name, or a subscription. */
  handleClientPresence(conn: Connection, stanza: BinaryNode): void {
    const me = conn.login && this.hub.world.account(conn.login.phone)
    if (!me) return
    const { type, name, to } = stanza.attrs
    if (type === 'subscribe') return this.subscribe(conn, to ?? '')
    if (name && name !== me.name) {
      me.name = name
      this.hub.world.changed()
    }
    if (type === 'available' || type === 'unavailable') {
      conn.available = type === 'available'
      this.setPresence(me, this.anyCompanionAvailable(me))
    }
  }

  /** A companion's `<chatstate to>`: relayed to the chat partner, or to the group's members. */
  handleClientChatstate(conn: Connection, stanza: BinaryNode): void {
    const me = conn.login && this.hub.world.account(conn.login.phone)
    const state = stateOf(stanza)
    if (!me || !state) return
    this.relayChatstate(me, stanza.attrs.to ?? '', state)
  }

  /** `from`'s phone shows `state` in its chat with `to` (an account, by number, or a group JID). */
  relayChatstate(from: Account, to: string, state: ChatState): { delivered: number } {
    const at = Date.now()
    if (to.endsWith('@g.us')) {
      const group = findGroup(this.hub, to)
      if (!group) throw new PresenceError(404, `no group ${to}`)
      if (!group.participants.some((p) => p.phone === from.phone)) throw new PresenceError(403, `${from.phone} is not in ${to}`)
      let delivered = 0
      const stanza = node('chatstate', { from: groupJid(group), participant: groupSenderAttrs(group, from).participant }, [stateNode(state)])
      for (const member of group.participants) {
        const account = member.phone === from.phone ? undefined : this.hub.world.account(member.phone)
        if (!account) continue
        this.remember(account, { from: from.phone, chat: groupJid(group), state, at })
        delivered += this.sendToSubscribers(account, groupJid(group), stanza)
      }
      return { delivered }
    }
    const target = this.hub.world.accountForJid(to.includes('@') ? to : `${to}@s.whatsapp.net`, false)
    if (!target) throw new PresenceError(404, `no account ${to}`)
    this.remember(target, { from: from.phone, chat: chatJidOf(from), state, at })
    return { delivered: this.sendToSubscribers(target, from.phone, node('chatstate', { from: chatJidOf(from) }, [stateNode(state)])) }
  }

  /** An account comes online or goes offline (its phone, through the control API, or its companions). */
  setPresence(account: Account, available: boolean): void {
    const now = unixNow()
    const previous = account.presence
    account.presence = { available, lastSeen: available ? previous?.lastSeen : now }
    this.hub.world.changed()
    if (previous?.available === available) return
    for (const conn of this.hub.connections) {
      if (conn.presenceSubscriptions.has(account.phone)) this.answerSubscription(conn, account.phone)
    }
  }

  /** The connection's subscriptions end with it; the account is offline once no companion is online. */
  forget(conn: Connection): void {
    const me = conn.login && this.hub.world.account(conn.login.phone)
    if (me && conn.available) {
      conn.available = false
      if (me.presence?.available && !this.anyCompanionAvailable(me)) this.setPresence(me, false)
    }
  }

  private subscribe(conn: Connection, to: string): void {
    const group = to.endsWith('@g.us') ? findGroup(this.hub, to) : undefined
    const target = group ? groupJid(group) : this.hub.world.accountForJid(to, false)?.phone
    if (!target) return
    conn.presenceSubscriptions.add(target)
    this.answerSubscription(conn, target)
  }

  /** `<presence from [type="unavailable" last]>` of a subscribed account, to a connection past its offline delivery. */
  private answerSubscription(conn: Connection, target: string): void {
    const account = target.endsWith('@g.us') ? undefined : this.hub.world.account(target)
    if (!account || !conn.online || conn.closed) return
    const presence = account.presence ?? { available: false }
    const attrs = presence.available ? { from: chatJidOf(account) } : { from: chatJidOf(account), type: 'unavailable', last: presence.lastSeen ? String(presence.lastSeen) : 'deny' }
    conn.send(node('presence', attrs))
  }

  private sendToSubscribers(account: Account, subscribedTo: string, stanza: BinaryNode): number {
    let sent = 0
    for (const companion of account.companions) {
      const conn = this.hub.live(account.phone, companion.deviceId)
      if (!conn?.online || !conn.presenceSubscriptions.has(subscribedTo)) continue
      conn.send(stanza)
      sent += 1
    }
    return sent
  }

  private anyCompanionAvailable(account: Account): boolean {
    return account.companions.some((c) => this.hub.live(account.phone, c.deviceId)?.available)
  }

  private remember(account: Account, record: ChatstateRecord): void {
    account.chatstates = [...(account.chatstates ?? []), record].slice(-KEPT_CHATSTATES)
    this.hub.world.changed()
  }
}

/** What `GET /accounts/{phone}/presence` shows: the account's presence, the chat states its phone saw, what its companions subscribe to. */
export function presenceView(hub: Hub, account: Account) {
  const connections = account.companions.map((c) => hub.live(account.phone, c.deviceId)).filter((c): c is Connection => Boolean(c))
  return {
    phone: account.phone,
    name: account.name,
    available: account.presence?.available ?? false,
    lastSeen: account.presence?.lastSeen ?? null,
    chatstates: account.chatstates ?? [],
    subscriptions: [...new Set(connections.flatMap((c) => [...c.presenceSubscriptions]))],
  }
}

export function parseChatState(value: unknown): ChatState {
  if (typeof value !== 'string' || !CHAT_STATES.includes(value as ChatState)) throw new PresenceError(400, `state must be one of ${CHAT_STATES.join(', ')}`)
  return value as ChatState
}
