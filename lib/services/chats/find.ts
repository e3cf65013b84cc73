import 'server-only'
import type { z } from 'zod'
import { ApiError } from '@/lib/api/errors'
import type { ChatItem, ContactItem, FindChatsBody, FindContactsBody, FindMessagesBody, MessageItem } from '@/lib/api/schemas/chats'
import { upsertPayload } from '@/lib/messages/payloads'
import { describeMessage } from '@/lib/messages/preview'
import { findChat, pageChats, type ChatListing } from '@/lib/store/chats'
import { pageContacts, type Contact } from '@/lib/store/contacts'
import { findByIds, hasMessagesIn, pageMessages, type Message } from '@/lib/store/messages'
import { ChatCursor, ContactCursor, decodeCursor, encodeCursor, MessageCursor } from './cursor'

// Every read here is scoped by the instance the key's check found (`findForDataPlane` scopes it to
// the key's account), so another account's chats, messages and contacts are never in reach.
type Instance = { id: string; name: string }

/** A stored message as the read endpoints show it: MESSAGES_UPSERT's data, with its status, media URL, edit and deletion. */
export function messageItem(instance: Instance, message: Message): z.infer<typeof MessageItem> {
  return {
    ...upsertPayload(message, { instanceName: instance.name, status: message.status, media: message.media }),
    message: message.message,
    status: message.status,
    editedAt: message.editedAt?.toISOString() ?? null,
    deletedAt: message.deletedAt?.toISOString() ?? null,
  }
}

/** The chat a filter names (by either identity): every JID its messages may be filed under. */
export async function chatJids(instance: Instance, key: { remoteJid?: string; remoteJidAlt?: string } | undefined): Promise<string[] | undefined> {
  const named = key?.remoteJid ?? key?.remoteJidAlt
  if (named === undefined) return undefined
  const notFound = () => new ApiError('chat_not_found', `The instance "${instance.name}" has no chat with ${named}.`)
  const chat = await findChat(instance.id, named)
  if (!chat) {
    if (await hasMessagesIn(instance.id, named)) return [named]
    throw notFound()
  }
  const other = key?.remoteJid !== undefined ? key.remoteJidAlt : undefined
  if (other !== undefined && other !== chat.jid && other !== chat.jidAlt) throw notFound()
  return [chat.jid, ...(chat.jidAlt ? [chat.jidAlt] : [])]
}

/** chat/findMessages: one chat's messages (or all), newest first, filtered, a page at a time. */
export async function findMessages(instance: Instance, body: FindMessagesBody): Promise<{ messages: z.infer<typeof MessageItem>[]; nextCursor: string | null }> {
  const after = decodeCursor(body.cursor, MessageCursor)
  const where = body.where ?? {}
  const page = await pageMessages(instance.id, {
    chatJids: await chatJids(instance, where.key),
    fromMe: where.key?.fromMe,
    waId: where.key?.id,
    messageType: where.messageType,
    since: where.messageTimestamp?.gte,
    until: where.messageTimestamp?.lte,
    text: body.text,
    limit: body.limit,
    after: after && { messageTimestamp: after.t, id: after.i },
  })
  return {
    messages: page.messages.map((message) => messageItem(instance, message)),
    nextCursor: page.next && encodeCursor({ t: page.next.messageTimestamp, i: page.next.id }),
  }
}

function chatItem(instance: Instance, chat: ChatListing, last: Message | undefined): z.infer<typeof ChatItem> {
  const mutedUntil = chat.mutedUntil && chat.mutedUntil.getTime() > Date.now() ? chat.mutedUntil : null
  return {
    remoteJid: chat.jid,
    remoteJidAlt: chat.jidAlt,
    isGroup: chat.jid.endsWith('@g.us'),
    name: chat.name ?? chat.knownName,
    unreadCount: chat.unreadCount,
    archived: chat.archived,
    pinned: chat.pinned,
    muted: mutedUntil !== null,
    mutedUntil: mutedUntil?.toISOString() ?? null,
    markedUnread: chat.markedUnread,
    lastMessageTimestamp: chat.lastMessageTimestamp,
    lastMessagePreview: last ? describeMessage(last.messageType, last.message).preview : null,
    lastMessage: last ? messageItem(instance, last) : null,
  }
}

/** chat/findChats: the instance's chats, newest message first, a page at a time. */
export async function findChats(instance: Instance, body: FindChatsBody): Promise<{ chats: z.infer<typeof ChatItem>[]; nextCursor: string | null }> {
  const after = decodeCursor(body.cursor, ChatCursor)
  const page = await pageChats(instance.id, {
    archived: body.where?.archived,
    kind: body.where?.type,
    search: body.search,
    limit: body.limit,
    after: after && { lastMessageTimestamp: after.t, jid: after.j },
  })
  const lastMessages = new Map((await findByIds(instance.id, page.chats.flatMap((chat) => (chat.lastMessageId ? [chat.lastMessageId] : [])))).map((message) => [message.id, message]))
  return {
    chats: page.chats.map((chat) => chatItem(instance, chat, chat.lastMessageId ? lastMessages.get(chat.lastMessageId) : undefined)),
    nextCursor: page.next && encodeCursor({ t: page.next.lastMessageTimestamp, j: page.next.jid }),
  }
}

function contactItem(contact: Contact): z.infer<typeof ContactItem> {
  return {
    remoteJid: contact.jid,
    lid: contact.lid,
    number: contact.phoneNumber,
    pushName: contact.pushName,
    savedName: contact.savedName,
    verifiedName: contact.verifiedName,
    isWhatsApp: true,
    updatedAt: contact.updatedAt.toISOString(),
  }
}

/** chat/findContacts: the contacts the instance knows, by JID, searchable by name or number. */
export async function findContacts(instance: Instance, body: FindContactsBody): Promise<{ contacts: z.infer<typeof ContactItem>[]; nextCursor: string | null }> {
  const after = decodeCursor(body.cursor, ContactCursor)
  const page = await pageContacts(instance.id, { jid: body.where?.remoteJid, search: body.search, limit: body.limit, after: after?.j })
  return { contacts: page.contacts.map(contactItem), nextCursor: page.next && encodeCursor({ j: page.next }) }
}
