// Another account's profile as WhatsApp answers a linked device: its picture (`w:profile:picture`
// get with a user `target`: Baileys' `profilePictureUrl` reads `picture@url`; whatsmeow's
// GetProfilePictureInfo `picture@id/url/direct_path`, 404 item-not-found when there is none) and
// its business profile (`w:biz` get of `business_profile/profile@jid`: Baileys' `getBusinessProfile`
// reads description, email, website, address and categories/category; an account that is not a
// business gets an empty `business_profile`). Both in node_modules/@whiskeysockets/baileys/lib/Socket/chats.js.
// The "about" text travels in usync's `status` protocol (usync.ts).
import { child, iqError, iqResult, node, type BinaryNode } from './binary.js'
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
