// Chat settings WhatsApp syncs between the account's devices as app-state patches (archive, pin,
// mute, mark unread/read, delete): Baileys turns each synced mutation into `chats.update` /
// `chats.delete` (processSyncAction in node_modules/@whiskeysockets/baileys/lib/Utils/chat-utils.js),
// for patches from the phone or another device and, with `emitOwnEvents`, for this instance's own.
import type { BaileysEventMap, WASocket } from '@whiskeysockets/baileys'
import type { InstanceIdentity } from '@/lib/events/types'
import type { ChatSettings } from '@/lib/store/chats'
import { recordChatDeleted, recordChatSettings } from '@/lib/store/chat-settings'
import { identityOf } from './addressing'
import { mutedUntilOfAction } from './mute-end'


type ChatUpdate = BaileysEventMap['chats.update'][number]

/**
 * The app-state part of a `chats.update`, or undefined for the updates Baileys emits per message
 * (a newer conversation time, one more unread), which the message's own transaction already counted.
 * Marking read comes as unreadCount 0 and marking unread as -1; a message's unread is always positive.
 */
export function settingsOf(update: ChatUpdate): ChatSettings | undefined {
  const settings: ChatSettings = {}
  if (typeof update.archived === 'boolean') settings.archived = update.archived
  if ('pinned' in update && update.pinned !== undefined) settings.pinned = update.pinned !== null
  if ('muteEndTime' in update && update.muteEndTime !== undefined) {
    // WhatsApp's muteEndTimestamp is in milliseconds (whatsmeow's BuildMute: UnixMilli); -1: no end.
    settings.mutedUntil = mutedUntilOfAction(update.muteEndTime === null ? null : Number(update.muteEndTime))
  }
  if (update.unreadCount === -1) settings.markedUnread = true
  if (update.unreadCount === 0) settings.markedUnread = false
  return Object.keys(settings).length ? settings : undefined
}

export function attachChatSettingsEvents(
  socket: WASocket,
  instance: InstanceIdentity,
  durably: <T>(what: string, write: () => Promise<T>) => Promise<T>,
  failed: (what: string) => (error: unknown) => void,
): void {
  // Applied one batch after another, in the order Baileys emits them: a later batch (the echo of
  // marking a chat read) must never be overtaken by an earlier one (the echo of marking it unread),
  // or the chat would keep a state WhatsApp no longer has.
  let applied = Promise.resolve()
  const inOrder = (what: string, apply: () => Promise<void>) => {
    applied = applied.then(apply).catch(failed(what))
  }
  socket.ev.on('chats.update', (updates) =>
    inOrder('chats.update', async () => {
      for (const update of updates) {
        const settings = update.id ? settingsOf(update) : undefined
        if (!settings) continue
        const { jid } = await identityOf(socket, update.id!)
        await durably('store a chat setting', () => recordChatSettings(instance, jid, settings))
      }
    }),
  )
  socket.ev.on('chats.delete', (ids) =>
    inOrder('chats.delete', async () => {
      for (const id of ids) {
        const { jid } = await identityOf(socket, id)
        await durably('delete a chat', () => recordChatDeleted(instance, jid))
      }
    }),
  )
}
