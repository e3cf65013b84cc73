// Pairing by code: placeholder until implemented.
import { iqResult, type BinaryNode } from './binary.js'
import type { Connection } from './connection.js'
import type { Hub } from './hub.js'

export function handleLinkCodeIq(_hub: Hub, conn: Connection, iq: BinaryNode, _req: BinaryNode): void {
  conn.send(iqResult(iq.attrs.id))
}

export async function submitPairingCode(_hub: Hub, _phone: string, _code: string): Promise<never> {
  throw new Error('pairing code not implemented yet')
}
