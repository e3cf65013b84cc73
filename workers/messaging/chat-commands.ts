// Commands that talk to WhatsApp for the web tier: number checks, read receipts, media downloads, the blocklist.
import { downloadMediaMessage, jidNormalizedUser, proto } from '@whiskeysockets/baileys'
import { markChatsRead, markedUnreadAmong } from '@/lib/store/chats'
import { MediaStorageError } from '@/lib/media/bucket'
import { placeMedia } from '@/lib/media/files'
import { cacheMedia, findById } from '@/lib/store/messages'
import { CommandError, type CommandHandler } from '@/workers/instances/commands'
import { identityOf } from '@/workers/whatsapp/addressing'
import { newestMessage } from './chat-settings-commands'
import { recordChatSettings } from '@/lib/store/chat-settings'
import type { NumberDirectory } from './numbers'

function openSocket(context: Parameters<CommandHandler>[0]) {
  const socket = context.session.socket
  if (!socket || !context.session.isOpen) throw new CommandError('instance_not_connected', 'The instance is not connected to WhatsApp.')
  return socket
}

export function chatHandlers(numbers: NumberDirectory): Record<string, CommandHandler> {
  return {
    check_numbers: async (context) => {
      const socket = openSocket(context)
      const requested = (context.payload.numbers as string[]) ?? []
      const found = await numbers.lookup(socket, requested)
      return found.map((entry) => ({ number: entry.number, exists: entry.exists, jid: entry.exists ? jidNormalizedUser(entry.jid ?? `${entry.number}@s.whatsapp.net`) : null }))
    },
    mark_read: async (context) => {
      const socket = openSocket(context)
      const keys = (context.payload.keys as { remoteJid: string; fromMe: boolean; id: string }[]) ?? []
      const instance = context.session.instance
      const jids = [...new Set(keys.map((key) => key.remoteJid))]
      await socket.readMessages(keys)
      // A chat marked unread by hand keeps its mark on the phone until a device says it was read, as
      // WhatsApp Web does on opening it: a markChatAsRead app-state patch. Its echo also lands after
      // the echo of the earlier mark (Baileys delivers its own patches' echoes ~100 ms late), so the
      // mark cannot come back here either.
      for (const chat of await markedUnreadAmong(instance.id, jids)) {
        const lastMessages = await newestMessage(instance.id, [chat.jid, ...(chat.jidAlt ? [chat.jidAlt] : [])])
        try {
          await socket.chatModify({ markRead: true, lastMessages }, chat.jid)
        } catch (error) {
          // The receipts went; the mark stays, here as on the phone, so reading the chat again retries it.
          context.log.warn({ err: error, chat: chat.jid }, 'WhatsApp did not take clearing a chat\'s unread mark')
          continue
        }
        // Stored and announced (CHATS_UPDATE) now; the patch's echo then finds nothing to change.
        await recordChatSettings(instance, chat.jid, { markedUnread: false })
      }
      await markChatsRead(instance.id, jids)
      return { read: keys.length }
    },
    // Baileys names the contact to WhatsApp by its LID (asking WhatsApp for an unknown one), with the number on a block.
    update_block_status: async (context) => {
      const socket = openSocket(context)
      const jid = String(context.payload.jid)
      const action = context.payload.action === 'block' ? 'block' : 'unblock'
      try {
        await socket.updateBlockStatus(jid, action)
      } catch (error) {
        throw new CommandError('whatsapp_error', `WhatsApp did not ${action} ${jid}: ${error instanceof Error ? error.message : String(error)}`)
      }
      return { jid, status: action === 'block' ? 'blocked' : 'unblocked' }
    },
    // WhatsApp lists blocked contacts by LID: each is named by its number as well when the instance knows it.
    fetch_blocklist: async (context) => {
      const socket = openSocket(context)
      const jids = (await socket.fetchBlocklist()).filter((jid): jid is string => typeof jid === 'string')
      const blocked = await Promise.all(jids.map((jid) => identityOf(socket, jid)))
      return blocked.map(({ jid, alt }) => (jid.endsWith('@lid') ? { jid, lid: jid } : { jid, lid: alt }))
    },
    // A contact's (or without a jid the instance's own) picture, about text and business profile, each as WhatsApp answers it now.
    fetch_profile: async (context) => {
      const socket = openSocket(context)
      const own = jidNormalizedUser(socket.user?.id ?? '')
      const jid = context.payload.jid ? String(context.payload.jid) : own
      const name = jid === own ? { name: socket.authState.creds.me?.name ?? null } : {}
      const picture = socket.profilePictureUrl(jid, 'image').catch((error) => {
        // No picture, or one its owner's privacy hides: WhatsApp answers 404 / 401 (Baileys puts the code in the error's `data`).
        if ([401, 404].includes(Number(error?.data))) return null
        throw error
      })
      if (context.payload.pictureOnly) return { jid, pictureUrl: (await picture) ?? null }
      const [pictureUrl, statuses, business] = await Promise.all([picture, socket.fetchStatus(jid), socket.getBusinessProfile(jid)])
      const status = (statuses?.[0] as { status?: { status?: string | null; setAt?: Date } } | undefined)?.status
      return {
        jid,
        ...name,
        pictureUrl: pictureUrl ?? null,
        about: status?.status ?? null,
        aboutSetAt: status?.status && status.setAt && status.setAt.getTime() > 0 ? status.setAt.toISOString() : null,
        business: business
          ? { description: business.description || null, email: business.email ?? null, website: business.website ?? [], address: business.address ?? null, category: business.category ?? null }
          : null,
      }
    },
    download_media: async (context) => {
      const socket = openSocket(context)
      const row = await findById(context.session.instance.id, String(context.payload.messageId))
      if (!row?.media) throw new CommandError('not_found', 'This message has no media.')
      const message = { key: { remoteJid: row.remoteJid, fromMe: row.fromMe, id: row.waId, participant: row.participant ?? undefined }, message: proto.Message.fromObject(row.message) }
      let data: Buffer
      try {
        // Through the instance's proxy when it has one (undefined: the process-wide fetch).
        const dispatcher = context.session.mediaDispatcher
        data = await downloadMediaMessage(message, 'buffer', dispatcher ? { options: { dispatcher } as RequestInit } : {}, { reuploadRequest: socket.updateMediaMessage, logger: socket.logger })
      } catch (error) {
        throw new CommandError('whatsapp_error', `WhatsApp could not provide the media: ${error instanceof Error ? error.message : String(error)}`)
      }
      const fileName = (Object.values(row.message)[0] as { fileName?: string } | undefined)?.fileName ?? null
      try {
        await cacheMedia(row.id, await placeMedia(context.session.instance, row.id, { data, mimetype: row.media.mimetype, fileName }))
      } catch (error) {
        if (error instanceof MediaStorageError) throw new CommandError('media_storage_unavailable', error.message)
        throw error
      }
      return { size: data.length }
    },
  }
}
