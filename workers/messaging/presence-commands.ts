// Presence and the instance's own profile, for the web tier: chat states ("typing…"), online /
// offline, presence subscriptions, push name, about text and picture. Baileys' side is in
// node_modules/@whiskeysockets/baileys/lib/Socket/chats.js (sendPresenceUpdate, presenceSubscribe,
// updateProfileName / Status / Picture, removeProfilePicture).
import { generateProfilePicture, jidNormalizedUser, type WAPresence, type WASocket } from '@whiskeysockets/baileys'
import { CommandError, type CommandContext, type CommandHandler } from '@/workers/instances/commands'
import type { InstanceSession } from '@/workers/whatsapp/session'
import { presenceSubscriptions } from '@/workers/whatsapp/presence'
import { fetchMediaUrl, MediaFetchError } from './media-fetch'

/** WhatsApp's apps stop showing "typing…" about 25 s after the last chat state: a longer one is sent again. */
const CHAT_STATE_REFRESH_MS = 20_000

function openSocket(context: CommandContext): WASocket {
  const socket = context.session.socket
  if (!socket || !context.session.isOpen) throw new CommandError('instance_not_connected', 'The instance is not connected to WhatsApp.')
  return socket
}

function whatsappRefused(what: string, error: unknown): CommandError {
  return new CommandError('whatsapp_error', `WhatsApp did not ${what}: ${error instanceof Error ? error.message : String(error)}`)
}

/** A timed "typing…" per chat: a new chat state in that chat replaces it. */
const timedStates = new WeakMap<InstanceSession, Map<string, NodeJS.Timeout>>()

function stopTimedState(session: InstanceSession, jid: string): void {
  const timers = timedStates.get(session)
  clearTimeout(timers?.get(jid))
  timers?.delete(jid)
}

/** Keeps `presence` up in `jid` until `until` (ms), then sends paused, on whatever socket the session has then. */
function keepUntil(session: InstanceSession, jid: string, presence: WAPresence, until: number): void {
  let timers = timedStates.get(session)
  if (!timers) timedStates.set(session, (timers = new Map()))
  const schedule = () => {
    const timer = setTimeout(tick, Math.max(0, Math.min(until - Date.now(), CHAT_STATE_REFRESH_MS)))
    // A shutting-down worker does not wait for a bot's "typing…" to end.
    timer.unref()
    timers.set(jid, timer)
  }
  const tick = () => {
    const socket = session.isOpen ? session.socket : undefined
    if (!socket) return void timers.delete(jid)
    const done = Date.now() >= until
    if (done) timers.delete(jid)
    else schedule()
    socket.sendPresenceUpdate(done ? 'paused' : presence, jid).catch((error) => session.reportError('chat state', error))
  }
  schedule()
}

/** WhatsApp learns the push name from `<presence name>`; Baileys sends one whenever `creds.me.name` changes (socket.js). */
async function setPushName(socket: WASocket, name: string): Promise<void> {
  // The phone and the account's other devices learn it from the app-state setting, which a device
  // can write only once the phone shared the app-state keys with it (after its first sync).
  if (socket.authState.creds.myAppStateKeyId) await socket.updateProfileName(name)
  socket.ev.emit('creds.update', { me: { ...socket.authState.creds.me!, name } })
}

async function pictureBytes(picture: { url?: string; base64?: string }, allowPrivate: boolean): Promise<Buffer> {
  if (picture.base64) return Buffer.from(picture.base64, 'base64')
  try {
    return (await fetchMediaUrl(String(picture.url), 'image', { allowPrivate })).data
  } catch (error) {
    if (error instanceof MediaFetchError) throw new CommandError(error.code, error.message)
    throw error
  }
}

export function presenceHandlers(options: { allowPrivateUrls: boolean }): Record<string, CommandHandler> {
  return {
    send_presence: async (context) => {
      const socket = openSocket(context)
      const jid = String(context.payload.jid)
      const presence = context.payload.presence as WAPresence
      stopTimedState(context.session, jid)
      if ((presence === 'available' || presence === 'unavailable') && !socket.authState.creds.me?.name) {
        // Baileys would drop it silently ("no name present"): WhatsApp shows nobody online without a name.
        throw new CommandError('push_name_required', 'WhatsApp shows an account online only once it has a push name: set one with chat/updateProfileName first.')
      }
      try {
        await socket.sendPresenceUpdate(presence, jid)
      } catch (error) {
        throw whatsappRefused(`take the presence ${presence}`, error)
      }
      const delayMs = Number(context.payload.delayMs ?? 0)
      if (delayMs > 0) keepUntil(context.session, jid, presence, Date.now() + delayMs)
      return { sent: true }
    },
    subscribe_presence: async (context) => {
      const socket = openSocket(context)
      const jid = String(context.payload.jid)
      try {
        await socket.presenceSubscribe(jid)
      } catch (error) {
        throw whatsappRefused(`subscribe to ${jid}`, error)
      }
      presenceSubscriptions(context.session).add(jid)
      return { subscribed: true }
    },
    // One change of the own profile per command: name, about text, picture or its removal.
    update_profile: async (context) => {
      const socket = openSocket(context)
      const own = jidNormalizedUser(socket.user?.id ?? '')
      const payload = context.payload
      const answer: Record<string, unknown> = {}
      try {
        if (typeof payload.name === 'string') await setPushName(socket, payload.name)
        if (typeof payload.status === 'string') {
          await socket.updateProfileStatus(payload.status)
          answer.status = payload.status || null
        }
        if (payload.removePicture) {
          await socket.removeProfilePicture(own)
          answer.picture = false
        }
      } catch (error) {
        throw whatsappRefused('change the profile', error)
      }
      if (payload.picture) {
        const bytes = await pictureBytes(payload.picture as { url?: string; base64?: string }, options.allowPrivateUrls)
        // Baileys makes the 640×640 JPEG WhatsApp keeps; bytes it cannot read as a picture are the caller's.
        await generateProfilePicture(bytes).catch((error) => {
          throw new CommandError('unsupported_media', `The picture could not be read: ${error instanceof Error ? error.message : String(error)}`)
        })
        await socket.updateProfilePicture(own, bytes).catch((error) => {
          throw whatsappRefused('take the picture', error)
        })
        answer.picture = true
      }
      return { jid: own, name: socket.authState.creds.me?.name ?? null, ...answer }
    },
  }
}
