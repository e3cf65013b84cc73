// Pre-key upload by companions, and pre-key bundles served to them (Baileys' side: `uploadPreKeys` in
// node_modules/@whiskeysockets/baileys/lib/Socket/socket.js, `parseAndInjectE2ESessions` in
// node_modules/@whiskeysockets/baileys/lib/Utils/signal.js).
import { bytesOf, child, children, iqResult, node, readBe, be, type BinaryNode } from './binary.js'
import type { Connection } from './connection.js'
import type { Hub } from './hub.js'
import { companionBundle } from './outbound.js'
import type { PreKeyBundle } from './signal-device.js'

function loggedInCompanion(hub: Hub, conn: Connection) {
  if (!conn.login) return undefined
  const account = hub.world.account(conn.login.phone)
  return account && hub.world.companion(account, conn.login.deviceId)
}

export function handleCount(hub: Hub, conn: Connection, iq: BinaryNode): void {
  const companion = loggedInCompanion(hub, conn)
  conn.send(iqResult(iq.attrs.id, [node('count', { value: companion ? Object.keys(companion.preKeys).length : 0 })]))
}

export function handleUpload(hub: Hub, conn: Connection, iq: BinaryNode): void {
  const companion = loggedInCompanion(hub, conn)
  if (companion) {
    const reg = child(iq, 'registration')
    if (reg) companion.registrationId = readBe(bytesOf(reg))
    const identity = child(iq, 'identity')
    if (identity) companion.identityKey = bytesOf(identity).toString('base64')
    for (const key of children(child(iq, 'list'), 'key')) {
      companion.preKeys[readBe(bytesOf(child(key, 'id')))] = bytesOf(child(key, 'value')).toString('base64')
    }
    const skey = child(iq, 'skey')
    if (skey) {
      companion.signedPreKey = {
        keyId: readBe(bytesOf(child(skey, 'id'))),
        pub: bytesOf(child(skey, 'value')).toString('base64'),
        signature: bytesOf(child(skey, 'signature')).toString('base64')
      }
    }
    hub.world.changed()
  }
  conn.send(iqResult(iq.attrs.id))
}

function bundleNode(jid: string, b: PreKeyBundle): BinaryNode {
  return node('user', { jid }, [
    node('registration', {}, be(b.registrationId, 4)),
    node('type', {}, Buffer.from([5])),
    node('identity', {}, b.identity),
    node('skey', {}, [
      node('id', {}, be(b.signedPreKey.keyId, 3)),
      node('value', {}, b.signedPreKey.pub),
      node('signature', {}, b.signedPreKey.signature)
    ]),
    ...(b.preKey ? [node('key', {}, [node('id', {}, be(b.preKey.keyId, 3)), node('value', {}, b.preKey.pub)])] : [])
  ])
}

export function handleKeyFetch(hub: Hub, conn: Connection, iq: BinaryNode): void {
  const users = children(child(iq, 'key'), 'user').map((u) => {
    // Echo the JID exactly: Baileys files the new session under it.
    const jid = u.attrs.jid
    const [userPart, server] = jid.split('@')
    const [user, deviceStr] = userPart.split(':')
    const account = hub.world.accountForJid(`${user}@${server}`)
    const deviceId = Number(deviceStr ?? 0)
    if (account && deviceId === 0) return bundleNode(jid, hub.world.phoneDevice(account).takeBundle())
    const companion = account && hub.world.companion(account, deviceId)
    if (companion) return bundleNode(jid, companionBundle(hub, companion))
    return node('user', { jid }, [node('error', { code: 404, text: 'item-not-found' })])
  })
  conn.send(iqResult(iq.attrs.id, [node('list', {}, users)]))
}
