// Another account's profile as WhatsApp answers a linked device: its picture (`w:profile:picture`
// get with a user `target`: Baileys' `profilePictureUrl` reads `picture@url`; whatsmeow's
// GetProfilePictureInfo `picture@id/url/direct_path`, 404 item-not-found when there is none) and
// its business profile (`w:biz` get of `business_profile/profile@jid`: Baileys' `getBusinessProfile`
// reads description, email, website, address and categories/category; an account that is not a
// business gets an empty `business_profile`). Both in node_modules/@whiskeysockets/baileys/lib/Socket/chats.js.
// The "about" text travels in usync's `status` protocol (usync.ts).
// An account sets its own picture with `w:profile:picture` set and no `target` (Baileys'
// `updateProfilePicture` / `removeProfilePicture` for the own JID: a `<picture type="image">` with the
// JPEG, or no child to remove it; whatsmeow's SetGroupPhoto reads `<picture id>` back) and its about
// text with `<iq xmlns="status" type="set"><status>text</status></iq>` (Baileys' `updateProfileStatus`,
// whatsmeow's SetStatusMessage). Both in node_modules/@whiskeysockets/baileys/lib/Socket/chats.js.
import { createHash } from 'node:crypto'
import { bytesOf, child, iqError, iqResult, node, textOf, unixNow, type BinaryNode } from './binary.js'
import type { Connection } from './connection.js'
import type { Hub } from './hub.js'

export function handleUserPictureIq(hub: Hub, conn: Connection, iq: BinaryNode): void {
  const { id, target, type } = iq.attrs
  const account = target ? hub.world.accountForJid(target, false) : undefined
  if (type !== 'get') return conn.send(iqResult(id))
  if (!account?.profile?.pictureId) return conn.send(iqError(id, 404, 'item-not-found'))
  const pictureId = account.profile.pictureId
  const directPath = `/pp/${account.phone}/${pictureId}.jpg`
  // The media host does not serve profile pictures: the url only has to be where WhatsApp would put it.
  const url = hub.media ? { url: `${hub.media.url}${directPath}` } : {}
  conn.send(iqResult(id, [node('picture', { id: pictureId, type: child(iq, 'picture')?.attrs.type ?? 'preview', ...url, direct_path: directPath })]))
}

export function handleBusinessIq(hub: Hub, conn: Connection, iq: BinaryNode): void {
  const profileNode = child(child(iq, 'business_profile'), 'profile')
  const account = profileNode?.attrs.jid ? hub.world.accountForJid(profileNode.attrs.jid, false) : undefined
  const business = account?.profile?.business
  if (!business || !profileNode) return conn.send(iqResult(iq.attrs.id, [node('business_profile', { v: '244' })]))
  const text = (tag: string, value: string | undefined) => (value ? [node(tag, {}, Buffer.from(value))] : [])
  conn.send(
    iqResult(iq.attrs.id, [
      node('business_profile', { v: '244' }, [
        node('profile', { jid: profileNode.attrs.jid, tag: '1' }, [
          ...text('description', business.description),
          ...text('email', business.email),
          ...text('website', business.website),
          ...text('address', business.address),
          ...(business.category ? [node('categories', {}, [node('category', { id: '1' }, Buffer.from(business.category))])] : []),
        ]),
      ]),
    ]),
  )
}

export function handleOwnPictureIq(hub: Hub, conn: Connection, iq: BinaryNode): void {
  const account = conn.login && hub.world.account(conn.login.phone)
  if (!account) return conn.send(iqError(iq.attrs.id, 401, 'not-authorized'))
  const picture = child(iq, 'picture')
  const bytes = bytesOf(picture)
  if (picture && bytes.length === 0) return conn.send(iqError(iq.attrs.id, 406, 'not-acceptable'))
  const profile = { ...account.profile }
  if (picture) {
    profile.pictureId = String(unixNow())
    profile.picture = { length: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }
  } else {
    delete profile.pictureId
    delete profile.picture
  }
  account.profile = profile
  hub.world.changed()
  conn.send(iqResult(iq.attrs.id, profile.pictureId ? [node('picture', { id: profile.pictureId })] : undefined))
}

export function handleOwnStatusIq(hub: Hub, conn: Connection, iq: BinaryNode): void {
  const account = conn.login && hub.world.account(conn.login.phone)
  if (!account) return conn.send(iqError(iq.attrs.id, 401, 'not-authorized'))
  account.profile = { ...account.profile, about: textOf(child(iq, 'status')), aboutSetAt: unixNow() }
  hub.world.changed()
  conn.send(iqResult(iq.attrs.id))
}
