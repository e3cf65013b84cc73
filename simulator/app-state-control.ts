// Control-API routes for app-state sync (README.md, "App-state sync"): what the phone has for each
// chat, and chat settings changed on the phone itself.
import type { Hub } from './hub.js'
import { HttpError, requireAccount, type Json, type Route } from './control-api.js'
import { appStateSummary, changeChatFromPhone, type PhoneChatChange } from './app-state.js'

/** Exactly one change per call, as the phone's menu makes them. */
function changeFrom(body: Json): PhoneChatChange {
  const given = ['archived', 'pinned', 'mutedUntil', 'markedUnread', 'deleted'].filter((field) => body[field] !== undefined)
  if (given.length !== 1) throw new HttpError(400, 'give exactly one of archived, pinned, mutedUntil, markedUnread, deleted')
  const [field] = given
  const value = body[field]
  if (field === 'mutedUntil') {
    if (value !== null && (typeof value !== 'number' || !Number.isInteger(value))) throw new HttpError(400, 'mutedUntil must be ms since the epoch, -1 (no end) or null (unmute)')
    return { mutedUntil: value }
  }
  if (field === 'deleted') {
    if (value !== true) throw new HttpError(400, 'deleted must be true')
    return { deleted: true }
  }
  if (typeof value !== 'boolean') throw new HttpError(400, `${field} must be a boolean`)
  return { [field]: value } as PhoneChatChange
}

export function appStateRoutes(hub: Hub): Route[] {
  return [
    ['GET', /^\/accounts\/(\d+)\/app-state$/, ([phone]) => appStateSummary(requireAccount(hub, phone))],
    ['POST', /^\/accounts\/(\d+)\/chats\/([^/]+)\/app-state$/, ([phone, jid], body) => {
      if (!/^[^@\s]+@(s\.whatsapp\.net|lid|g\.us)$/.test(jid)) throw new HttpError(400, 'the chat must be a JID')
      return changeChatFromPhone(hub, requireAccount(hub, phone), jid, changeFrom(body))
    }]
  ]
}
