// Stores what WhatsApp hands one socket before Baileys acknowledges it. WhatsApp forgets a message once
// the device sent its receipt, and a receipt once the device acked it; what was never acknowledged
// comes again at the next login (simulator/README.md, "Redelivery"). In Baileys
// (node_modules/@whiskeysockets/baileys/lib/Socket/messages-recv.js) the receipt of a message goes
// out right after it is decrypted and before `messages.upsert` is emitted, and a receipt stanza is
// acked as soon as `messages.update` is queued; the decrypt also commits the advanced Signal session,
// so a redelivered copy no longer decrypts. Hence:
// - messages: the decrypt (Baileys' `makeSignalRepository` option) stores the message inside the
//   key-store transaction of that decrypt, before it returns. Order: our row commits, then the Signal
//   session, then Baileys sends the receipt. A crash before the row commits leaves the session where
//   it was, so the copy WhatsApp delivers again decrypts; a crash after it finds the row already there.
// - receipts: the stanza is applied to our rows before Baileys' own handler (which acks it) sees it.
// When storing keeps failing, the session closes the socket (no logout) and retires this gate:
// nothing more is stored or acknowledged, and WhatsApp keeps it all for the next login.
import type { EventEmitter } from 'node:events'
import {
  areJidsSameUser,
  cleanMessage,
  decodeMessageNode,
  DEFAULT_CONNECTION_CONFIG,
  getBinaryNodeChild,
  getBinaryNodeChildren,
  getStatusFromReceiptType,
  isJidGroup,
  isJidStatusBroadcast,
  jidNormalizedUser,
  proto,
  unpadRandomMax16,
  type BinaryNode,
  type SignalKeyStoreWithTransaction,
  type SocketConfig,
  type WAMessage,
  type WASocket,
} from '@whiskeysockets/baileys'

/** Storage stayed unreachable: the socket was closed and what it received is left to WhatsApp. */
export class StorageUnavailableError extends Error {
  constructor(what: string, cause?: unknown) {
    super(`storage unavailable (${what})`, { cause })
  }
}

export type ReceiptUpdate = { key: { remoteJid: string; id: string; fromMe: boolean }; status: number }

export type InboundStores = {
  /** Stores one message (or does nothing when it was already stored); throws StorageUnavailableError when it cannot. */
  message: (message: WAMessage) => Promise<void>
  receipt: (update: ReceiptUpdate) => Promise<void>
}

type PendingStanza = { stanza: BinaryNode; undecrypted: number; content?: proto.IMessage }

const DECRYPTED_TYPES = new Set(['pkmsg', 'msg', 'skmsg'])
const keyString = (id: string, fromMe: boolean | null | undefined) => `${id}:${fromMe ? 1 : 0}`

export class StoreBeforeAck {
  private readonly pendingByCiphertext = new WeakMap<Uint8Array, PendingStanza>()
  private readonly storedEarly = new Set<string>()
  private readonly appliedEarly = new Set<string>()
  private receiptQueue: Promise<void> = Promise.resolve()
  private socket: WASocket | undefined
  private retired = false

  constructor(private readonly stores: InboundStores) {}

  /** Baileys' `makeSignalRepository`, with decrypts that store the message before they return. */
  readonly makeSignalRepository: SocketConfig['makeSignalRepository'] = (auth, logger, pnToLid) => {
    const repository = DEFAULT_CONNECTION_CONFIG.makeSignalRepository(auth, logger, pnToLid)
    const keys = auth.keys as SignalKeyStoreWithTransaction
    // Baileys serialises key-store transactions per lane: its sends (relayMessage) run in the lane of
    // the own id, its 1:1 decrypts in the sender's. Both read, change and write back the same
    // session record, so in two lanes one commit can overwrite the other's session (a contact's first
    // message crossing our first send to them left every later message from them undecryptable).
    // 1:1 decrypts therefore join the sends' lane; Baileys' own transaction inside reuses it.
    const sendsLane = () => this.socket?.authState.creds.me?.id ?? 'own'
    return {
      ...repository,
      decryptMessage: (args) =>
        keys.transaction(() => this.decrypting(keys, args.jid, args.ciphertext, () => repository.decryptMessage(args)), sendsLane()),
      decryptGroupMessage: (args) => this.decrypting(keys, args.group, args.msg, () => repository.decryptGroupMessage(args)),
    }
  }

  /** Hooks the socket's incoming stanzas: message stanzas are noted, receipts applied before Baileys acks them. */
  watch(socket: WASocket): void {
    this.socket = socket
    const ws = socket.ws as unknown as EventEmitter
    // Before Baileys' own listener, which starts decrypting a few awaits later.
    ws.prependListener('CB:message', (stanza: BinaryNode) => this.note(stanza))
    const baileysHandlers = ws.listeners('CB:receipt') as ((stanza: BinaryNode) => unknown)[]
    ws.removeAllListeners('CB:receipt')
    ws.on('CB:receipt', (stanza: BinaryNode) => {
      // In arrival order; one that cannot be stored is never handed on, so never acked.
      this.receiptQueue = this.receiptQueue.then(async () => {
        try {
          await this.applyReceipt(stanza)
        } catch {
          return
        }
        for (const handler of baileysHandlers) handler.call(ws, stanza)
      })
    })
  }

  /** Nothing more is stored for this socket (it is closed): decrypts and receipts fail without acknowledging. */
  retire(): void {
    this.retired = true
  }

  /** True (once) when the message of this `messages.upsert` was already stored by its decrypt. */
  takeStored(key: { id?: string | null; fromMe?: boolean | null }): boolean {
    return Boolean(key.id) && this.storedEarly.delete(keyString(key.id!, key.fromMe))
  }

  /** True (once) when this `messages.update` status came from a receipt already applied. */
  takeApplied(id: string, status: number): boolean {
    return this.appliedEarly.delete(`${id}:${status}`)
  }

  private note(stanza: BinaryNode): void {
    if (!Array.isArray(stanza.content) || getBinaryNodeChild(stanza, 'plaintext')) return
    const encrypted = getBinaryNodeChildren(stanza, 'enc').filter((enc) => enc.content instanceof Uint8Array && DECRYPTED_TYPES.has(enc.attrs.type))
    if (!encrypted.length) return
    const pending: PendingStanza = { stanza, undecrypted: encrypted.length }
    for (const enc of encrypted) this.pendingByCiphertext.set(enc.content as Uint8Array, pending)
  }

  private async decrypting(keys: SignalKeyStoreWithTransaction, transactionKey: string, ciphertext: Uint8Array, decrypt: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const pending = this.pendingByCiphertext.get(ciphertext)
    if (!pending) return decrypt()
    this.pendingByCiphertext.delete(ciphertext)
    // Baileys' own decrypt joins this transaction: its session writes commit after our row.
    return keys.transaction(async () => {
      if (this.retired) throw new StorageUnavailableError('the socket was closed')
      let plaintext: Uint8Array
      try {
        plaintext = await decrypt()
      } finally {
        pending.undecrypted -= 1
      }
      // The same decoding as Baileys' decryptMessageNode (lib/Utils/decode-wa-message.js).
      const decoded = proto.Message.decode(unpadRandomMax16(plaintext))
      const content = decoded.deviceSentMessage?.message ?? decoded
      pending.content = pending.content ? Object.assign(pending.content, content) : content
      if (pending.undecrypted === 0) await this.storeMessage(pending)
      return plaintext
    }, transactionKey)
  }

  private async storeMessage(pending: PendingStanza): Promise<void> {
    const me = this.socket?.authState.creds.me
    if (!me) return
    let message: WAMessage
    try {
      message = decodeMessageNode(pending.stanza, me.id, me.lid ?? '').fullMessage
      message.message = pending.content
      cleanMessage(message, me.id, me.lid ?? '')
    } catch {
      return // a shape we cannot read here: Baileys' upsert stores it (events.ts)
    }
    await this.stores.message(message)
    if (message.key.id) this.storedEarly.add(keyString(message.key.id, message.key.fromMe))
  }

  /** The `messages.update` Baileys' handleReceipt emits for this stanza, applied first. */
  private async applyReceipt(stanza: BinaryNode): Promise<void> {
    if (this.retired) throw new StorageUnavailableError('the socket was closed')
    const { attrs } = stanza
    const me = this.socket?.authState.creds.me
    if (!attrs.from || !attrs.id || !me) return
    const isNodeFromMe = areJidsSameUser(attrs.participant || attrs.from, attrs.from.includes('lid') ? me.lid : me.id)
    const remoteJid = !isNodeFromMe || isJidGroup(attrs.from) ? attrs.from : attrs.recipient
    const fromMe = !attrs.recipient || ((attrs.type === 'retry' || attrs.type === 'sender') && isNodeFromMe)
    const status = getStatusFromReceiptType(attrs.type)
    if (status === undefined || !remoteJid) return
    if (!(status >= proto.WebMessageInfo.Status.SERVER_ACK || !isNodeFromMe)) return
    if (isJidGroup(remoteJid) || isJidStatusBroadcast(remoteJid)) return // message-receipt.update: not stored
    const ids = [attrs.id, ...getBinaryNodeChildren(getBinaryNodeChild(stanza, 'list'), 'item').map((item) => item.attrs.id)]
    for (const id of ids) {
      await this.stores.receipt({ key: { remoteJid: jidNormalizedUser(remoteJid), id, fromMe }, status })
      this.appliedEarly.add(`${id}:${status}`)
    }
  }
}
