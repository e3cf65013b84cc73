// The account's blocklist (xmlns `blocklist`). Baileys: `fetchBlocklist` (get, reads each
// `list/item@jid`) and `updateBlockStatus` (set, one `item` with `action` block|unblock and the
// contact's LID as `jid`, plus `pn_jid` on block), node_modules/@whiskeysockets/baileys/lib/Socket/chats.js.
// whatsmeow's GetBlocklist/UpdateBlocklist read the same `<list dhash><item jid/></list>`, which the
// set answers with too (the list after the change). WhatsApp keeps blocked contacts by LID.
import { createHash } from 'node:crypto'
import { jidDecode } from '@whiskeysockets/baileys'
import { children, firstChild, iqError, iqResult, node, type BinaryNode } from './binary.js'
import type { Connection } from './connection.js'
import type { Hub } from './hub.js'
import type { Account } from './state.js'

function listNode(account: Account): BinaryNode {
  const blocked = account.blocked ?? []
  const dhash = createHash('sha256').update(blocked.join(',')).digest('hex').slice(0, 16)
  return node('list', { dhash }, blocked.map((jid) => node('item', { jid })))
}

export function handleBlocklistIq(hub: Hub, conn: Connection, iq: BinaryNode): void {
  const { id, type } = iq.attrs
  const me = conn.login ? hub.world.account(conn.login.phone) : undefined
  if (!me) return conn.send(iqError(id, 401, 'not-authorized'))
  if (type === 'get') return conn.send(iqResult(id, [listNode(me)]))
  const item = children(iq, 'item')[0] ?? firstChild(iq)
  const action = item?.attrs.action
  const target = item?.attrs.jid ? hub.world.accountForJid(item.attrs.jid, false) : undefined
  if (!item || (action !== 'block' && action !== 'unblock')) return conn.send(iqError(id, 400, 'bad-request'))
  // A block names the contact by LID and its number (`pn_jid`); WhatsApp refuses one without it.
  if (action === 'block' && (!item.attrs.pn_jid || jidDecode(item.attrs.jid)?.server !== 'lid')) return conn.send(iqError(id, 400, 'bad-request'))
  if (!target) return conn.send(iqError(id, 404, 'item-not-found'))
  const lid = `${target.lid}@lid`
  const blocked = new Set(me.blocked ?? [])
  if (action === 'block') blocked.add(lid)
  else blocked.delete(lid)
  me.blocked = [...blocked]
  hub.world.changed()
  conn.send(iqResult(id, [listNode(me)]))
}
