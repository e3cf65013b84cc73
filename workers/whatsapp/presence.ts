// Presence from WhatsApp: Baileys' `presence.update` (from `<presence>` and `<chatstate>` stanzas,
// `handlePresenceUpdate` in node_modules/@whiskeysockets/baileys/lib/Socket/chats.js) → PRESENCE_UPDATE.
// WhatsApp sends them only for chats this connection subscribed to (chat/subscribePresence), and a
// subscription ends with the connection, so the subscriptions are asked for again at every open.
import { isJidGroup, type PresenceData, type WASocket } from '@whiskeysockets/baileys'
import { identityOf } from './addressing'
import { recordEventAlone } from '@/lib/store/events'
import { ignoredBySettings } from './inbound-filter'
import type { InstanceSession } from './session'

const subscriptions = new WeakMap<InstanceSession, Set<string>>()

/** The chats this session asked WhatsApp for presence of, for as long as the worker holds the instance. */
export function presenceSubscriptions(session: InstanceSession): Set<string> {
  let set = subscriptions.get(session)
  if (!set) subscriptions.set(session, (set = new Set()))
  return set
}

/**
 * The PRESENCE_UPDATE event's data (documented in lib/api/openapi/webhook-events.ts): the chat and
 * each person by number JID whenever the instance knows it, as our other events name them
 * (WhatsApp names a LID-addressed contact by its LID).
 */
export async function presenceEventData(socket: WASocket | undefined, update: { id: string; presences: Record<string, PresenceData> }) {
  const chat = isJidGroup(update.id) ? update.id : (await identityOf(socket, update.id)).jid
  const presences = await Promise.all(
    Object.entries(update.presences).map(async ([jid, presence]) => [
      (await identityOf(socket, jid)).jid,
      { lastKnownPresence: presence.lastKnownPresence, lastSeen: presence.lastSeen ? new Date(presence.lastSeen * 1000).toISOString() : null },
    ]),
  )
  return { id: chat, presences: Object.fromEntries(presences) }
}

export function attachPresenceEvents(socket: WASocket, session: InstanceSession): void {
  // In arrival order: "typing" then "paused" must not be recorded the other way round.
  let recorded: Promise<void> = Promise.resolve()
  socket.ev.on('presence.update', (update) => {
    // A group the instance's settings ignore says nothing about its members either.
    if (ignoredBySettings(update.id, session.settings)) return
    recorded = recorded.then(async () => {
      await recordEventAlone(session.instance, 'PRESENCE_UPDATE', await presenceEventData(socket, update))
    }).catch((error) => session.reportError('presence', error))
  })
  socket.ev.on('connection.update', (update) => {
    if (update.connection !== 'open') return
    for (const jid of presenceSubscriptions(session)) socket.presenceSubscribe(jid).catch((error) => session.reportError('presence subscription', error))
  })
}
