// Client IQs after login (pre-key count and upload, passive active, digest, props, blocklist, privacy, ping,
// …). Every IQ gets an answer: Baileys matches replies by id only and an unanswered one stalls that code path
// for its 60 s query timeout (node_modules/@whiskeysockets/baileys/lib/Socket/socket.js, `query`; the
// post-login queries are in node_modules/@whiskeysockets/baileys/lib/Socket/chats.js, `executeInitQueries`).
import { firstChild, iqResult, node, type BinaryNode } from './binary.js'
import type { Connection } from './connection.js'
import type { Hub } from './hub.js'
import { handleCount, handleKeyFetch, handleUpload } from './prekeys.js'
import { handleUsync } from './usync.js'
import { refuseOverLimitIq } from './sending-limits.js'
import { afterPassiveActive } from './login.js'
import { handleGroupIq, handleGroupPictureIq } from './group-iqs.js'
import { handleLinkCodeIq } from './pairing-code.js'
import { handleBlocklistIq } from './blocklist.js'
import { handleBusinessIq, handleOwnPictureIq, handleOwnStatusIq, handleUserPictureIq } from './profile.js'
import { handleAppStateIq } from './app-state.js'

export async function handleIq(hub: Hub, conn: Connection, iq: BinaryNode): Promise<void> {
  const { id, xmlns, type } = iq.attrs
  if (type === 'result' || type === 'error') return
  const first = firstChild(iq)
  if (refuseOverLimitIq(hub, conn, iq)) return
  switch (xmlns) {
    case 'encrypt':
      if (first?.tag === 'count') return handleCount(hub, conn, iq)
      if (first?.tag === 'key') return handleKeyFetch(hub, conn, iq)
      if (first?.tag === 'digest') return conn.send(iqResult(id, [node('digest', {})]))
      if (type === 'set' && iq.content && first?.tag === 'registration') return handleUpload(hub, conn, iq)
      break
    case 'passive':
      conn.send(iqResult(id))
      if (first?.tag === 'active') await afterPassiveActive(hub, conn)
      return
    case 'usync':
      return handleUsync(hub, conn, iq)
    case 'w:m':
      if (first?.tag === 'media_conn' && hub.media) return conn.send(iqResult(id, [hub.media.mediaConnNode()]))
      break
    case 'w:g2':
      return handleGroupIq(hub, conn, iq)
    case 'w:profile:picture':
      if (iq.attrs.target?.endsWith('@g.us')) return handleGroupPictureIq(hub, conn, iq)
      if (iq.attrs.target) return handleUserPictureIq(hub, conn, iq)
      if (type === 'set') return handleOwnPictureIq(hub, conn, iq)
      break
    case 'status':
      if (type === 'set') return handleOwnStatusIq(hub, conn, iq)
      break
    case 'w:biz':
      if (type === 'get') return handleBusinessIq(hub, conn, iq)
      break
    case 'md':
      if (first?.tag === 'remove-companion-device') return removeCompanion(hub, conn, iq, first)
      if (first?.tag === 'link_code_companion_reg') return handleLinkCodeIq(hub, conn, iq, first)
      break
    case 'abt':
      return conn.send(iqResult(id, [node('props', { protocol: 1, hash: 'sim1' })]))
    case 'blocklist':
      return handleBlocklistIq(hub, conn, iq)
    case 'w:sync:app:state': {
      const account = conn.login && hub.world.account(conn.login.phone)
      if (account && conn.login) return conn.send(iqResult(id, [handleAppStateIq(hub, account, conn.login.deviceId, first)]))
      break
    }
    case 'privacy':
      // readreceipts=all makes readMessages send type="read" instead of "read-self"
      if (type === 'get') return conn.send(iqResult(id, [node('privacy', {}, [node('category', { name: 'readreceipts', value: 'all' })])]))
      if (type === 'set' && first?.tag === 'tokens') return recordPrivacyTokens(hub, conn, iq, first)
      break
  }
  conn.send(iqResult(id))
}

/**
 * A client issuing its trusted-contact tokens (Baileys: issuePrivacyTokens, after a 1:1 send). The
 * answer carries no tokens of the contact's: this simulator models no token exchange, only who
 * issued what, so tests can see how often a client asks.
 */
function recordPrivacyTokens(hub: Hub, conn: Connection, iq: BinaryNode, tokens: BinaryNode): void {
  const account = conn.login && hub.world.account(conn.login.phone)
  if (account && conn.login) {
    const issued = (account.privacyTokensIssued ??= [])
    const children = Array.isArray(tokens.content) ? tokens.content : []
    for (const token of children) {
      if (token.tag !== 'token' || token.attrs.type !== 'trusted_contact' || !token.attrs.jid) continue
      issued.push({ by: `${conn.login.phone}:${conn.login.deviceId}`, jid: token.attrs.jid, t: Number(token.attrs.t ?? 0), at: Date.now() })
    }
    if (issued.length > 1000) issued.splice(0, issued.length - 1000)
    hub.world.changed()
  }
  conn.send(iqResult(iq.attrs.id))
}

function removeCompanion(hub: Hub, conn: Connection, iq: BinaryNode, req: BinaryNode): void {
  conn.send(iqResult(iq.attrs.id))
  const [user, device] = (req.attrs.jid ?? '').split('@')[0].split(':')
  const account = hub.world.account(user)
  if (account && conn.login?.phone === account.phone) hub.world.removeCompanion(account, Number(device ?? conn.login.deviceId))
}
