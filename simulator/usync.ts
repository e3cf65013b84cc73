// usync: device lists with LIDs, contact checks (`onWhatsApp`), LID lookups. Baileys' side:
// node_modules/@whiskeysockets/baileys/lib/WAUSync/ and `executeUSyncQuery` in
// node_modules/@whiskeysockets/baileys/lib/Socket/socket.js.
import { child, children, iqResult, node, textOf, type BinaryNode } from './binary.js'
import type { Connection } from './connection.js'
import type { Hub } from './hub.js'
import { normalisePhone } from './world.js'
import type { Account } from './state.js'

function devicesNode(account: Account | undefined): BinaryNode {
  // Companions need a non-zero key-index or Baileys drops them.
  const devices = account
    ? [node('device', { id: 0 }), ...account.companions.map((c) => node('device', { id: c.deviceId, 'key-index': c.keyIndex }))]
    : []
  return node('devices', {}, [node('device-list', {}, devices)])
}

export function handleUsync(hub: Hub, conn: Connection, iq: BinaryNode): void {
  const usync = child(iq, 'usync')
  const protocols = children(child(usync, 'query')).map((q) => q.tag)
  const users = children(child(usync, 'list'), 'user').map((u) => {
    const contactQuery = child(u, 'contact')
    let jid = u.attrs.jid
    if (!jid && contactQuery) jid = `${normalisePhone(textOf(contactQuery))}@s.whatsapp.net`
    if (!jid) return undefined
    const account = hub.world.accountForJid(jid)
    const content: BinaryNode[] = []
    for (const p of protocols) {
      if (p === 'devices') content.push(devicesNode(account))
      // Baileys 7 keys Signal sessions by LID: without one it leaves the user out of the pre-key
      // request and the send fails with "All encryptions failed"
      // (node_modules/@whiskeysockets/baileys/lib/Signal/lid-mapping.js).
      // A user asked for by LID gets no `val`: the answer maps a phone number to its LID, never back.
      else if (p === 'lid') content.push(account && !jid.endsWith('@lid') ? node('lid', { val: `${account.lid}@lid` }) : node('lid', {}))
      else if (p === 'contact') content.push(node('contact', { type: account ? 'in' : 'out' }))
      else if (p === 'status') content.push(node('status', { t: account?.profile?.aboutSetAt ?? Math.floor(Date.now() / 1000) }, Buffer.from(account ? (account.profile?.about ?? 'Hey there! I am using WhatsApp.') : '')))
      else if (p === 'disappearing_mode') content.push(node('disappearing_mode', { duration: 0, t: 0 }))
    }
    return node('user', { jid }, content)
  }).filter((u): u is BinaryNode => !!u)
  conn.send(iqResult(iq.attrs.id, [
    node('usync', { sid: usync?.attrs.sid, index: 0, last: 'true' }, [node('list', {}, users)])
  ]))
}
