// Incoming calls: Baileys' `call` events → CALL events, and the automatic reject (with a reply
// text) when the instance's settings ask for it. Baileys reads the `<call>` stanza in
// node_modules/@whiskeysockets/baileys/lib/Socket/messages-recv.js (`handleCall`); only the
// statuses a person would care about are recorded.
import { isLidUser, jidNormalizedUser, type WACallEvent, type WASocket } from '@whiskeysockets/baileys'
import { recordEventAlone } from '@/lib/store/events'
import type { InstanceSession } from './session'

const RECORDED_STATUSES = new Set(['offer', 'accept', 'reject', 'timeout', 'terminate'])

/** The CALL event's data (documented in lib/api/openapi/webhook-events.ts). */
export function callEventData(call: WACallEvent, extra: { rejectedByInstance?: boolean } = {}) {
  return {
    id: call.id,
    status: call.status,
    from: call.from,
    callerPn: call.callerPn ?? null,
    chatId: call.chatId,
    isVideo: Boolean(call.isVideo),
    isGroup: Boolean(call.isGroup),
    groupJid: call.groupJid ?? null,
    offline: call.offline,
    date: call.date instanceof Date && !Number.isNaN(call.date.getTime()) ? call.date.toISOString() : new Date().toISOString(),
    ...(extra.rejectedByInstance ? { rejectedByInstance: true } : {}),
  }
}

/** The caller's phone-number jid: the reply goes to a chat the caller sees as theirs. */
async function callerChat(socket: WASocket, call: WACallEvent): Promise<string> {
  if (call.callerPn) return jidNormalizedUser(call.callerPn)
  if (isLidUser(call.from)) return (await socket.signalRepository.lidMapping.getPNForLID(call.from)) ?? call.from
  return jidNormalizedUser(call.from)
}

async function handleCall(socket: WASocket, session: InstanceSession, call: WACallEvent): Promise<void> {
  if (!RECORDED_STATUSES.has(call.status)) return
  await recordEventAlone(session.instance, 'CALL', callEventData(call))
  const settings = session.settings
  // A call that rang while we were offline is over by now: nothing left to reject.
  if (call.status !== 'offer' || call.offline || !settings.rejectCalls) return
  await socket.rejectCall(call.id, call.from)
  // Baileys emits nothing for a reject of our own, so it is recorded here.
  await recordEventAlone(session.instance, 'CALL', callEventData({ ...call, status: 'reject' }, { rejectedByInstance: true }))
  if (settings.callReplyText) await socket.sendMessage(await callerChat(socket, call), { text: settings.callReplyText })
}

export function attachCallEvents(socket: WASocket, session: InstanceSession): void {
  // One chain per socket: a reject that follows its offer within milliseconds arrives as a second
  // `call` event, and its CALL event must not be recorded before the offer's.
  let handled: Promise<void> = Promise.resolve()
  socket.ev.on('call', (calls) => {
    handled = handled.then(async () => {
      for (const call of calls) await handleCall(socket, session, call)
    }).catch((error) => session.reportError('call', error))
  })
}
