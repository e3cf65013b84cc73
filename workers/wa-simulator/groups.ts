// Groups: placeholder until implemented.
import type { proto } from '@whiskeysockets/baileys'
import { iqResult, type BinaryNode } from './binary.js'
import type { Connection } from './connection.js'
import type { Hub } from './hub.js'
import type { Account } from './state.js'

export interface GroupDelivery {
  deliverSenderKeyMessage(stanza: BinaryNode, sender: Account, senderDevice: number): Promise<{ account: Account; jid: string }[]>
}

export function groupOf(_hub: Hub, _jid: string): GroupDelivery | undefined {
  return undefined
}

export async function decryptGroupCopy(_hub: Hub, _target: Account, _sender: Account, _senderDevice: number, _stanza: BinaryNode, _message: proto.IMessage): Promise<void> {}

export function handleGroupIq(_hub: Hub, conn: Connection, iq: BinaryNode): void {
  conn.send(iqResult(iq.attrs.id))
}
