// The dashboard's Inbox: the instance's chats and one chat's messages, a page at a time, read through
// the same store and cursors as chat/findChats and chat/findMessages. Every read is scoped by an
// instance the caller found in the signed-in account (findInstance), so another account's chats are
// never in reach.
import 'server-only'
import type { MessageStatus } from '@/lib/db/schema/messages'
import { pollOf } from '@/lib/messages/polls'
import { describeMessage, type MessageKind } from '@/lib/messages/preview'
import { findChat } from '@/lib/store/chats'
import { contactNames } from '@/lib/store/contacts'
import { readGroupMetadata } from '@/lib/store/groups'
import { pageMessages, reactionsTo, type Message } from '@/lib/store/messages'
import { pollTally } from '@/lib/store/poll-votes'
import { chatJids, findChats } from '@/lib/services/chats/find'
import { decodeCursor, encodeCursor, MessageCursor } from '@/lib/services/chats/cursor'
import { chatLabel } from '@/lib/services/instances/recent-messages'
import { messageView, type InboxMessage, type InboxReaction } from './message-view'

type Instance = { id: string; name: string }

export type InboxChat = {
  jid: string
  name: string
  isGroup: boolean
  unreadCount: number
  archived: boolean
  pinned: boolean
  muted: boolean
  /** Unix seconds of the newest message, when known. */
  at: number | null
  preview: string | null
  lastKind: MessageKind | null
  lastFromMe: boolean
  lastStatus: MessageStatus | null
}

export const CHATS_PER_PAGE = 30
export const MESSAGES_PER_PAGE = 40
/** Rows the conversation never draws as bubbles: reactions are shown on the message they react to. */
const NOT_BUBBLES = ['reactionMessage', 'protocolMessage', 'pollUpdateMessage', 'senderKeyDistributionMessage']

/** Where the dashboard serves a message's media (the same service as GET messages/{id}/media, with the session cookie). */
export function inboxMediaUrl(instanceName: string, waId: string): string {
  return `/instances/${encodeURIComponent(instanceName)}/media/${encodeURIComponent(waId)}`
}

export async function inboxChats(
  instance: Instance,
  input: { archived: boolean; search?: string; cursor?: string },
): Promise<{ chats: InboxChat[]; nextCursor: string | null }> {
  const page = await findChats(instance, { where: { archived: input.archived }, search: input.search, limit: CHATS_PER_PAGE, cursor: input.cursor })
  return {
    chats: page.chats.map((chat) => {
      const last = chat.lastMessage
      return {
        jid: chat.remoteJid,
        name: chat.name ?? chatLabel(chat.remoteJid),
        isGroup: chat.isGroup,
        unreadCount: chat.unreadCount,
        archived: chat.archived,
        pinned: chat.pinned,
        muted: chat.muted,
        at: chat.lastMessageTimestamp,
        preview: last?.deletedAt ? 'This message was deleted' : chat.lastMessagePreview,
        lastKind: last ? describeMessage(last.messageType, last.message as Record<string, unknown>).kind : null,
        lastFromMe: last?.key.fromMe ?? false,
        lastStatus: (last?.status as MessageStatus | undefined) ?? null,
      }
    }),
    nextCursor: page.nextCursor,
  }
}

/** A chat's header: its name as the chat list shows it. */
export async function inboxChatName(instance: Instance, jid: string): Promise<string> {
  const chat = await findChat(instance.id, jid)
  if (chat?.name) return chat.name
  if (jid.endsWith('@g.us')) return ((await readGroupMetadata(instance.id, jid))?.subject as string | undefined) ?? chatLabel(jid)
  return (await contactNames(instance.id, [jid])).get(jid) ?? chatLabel(jid)
}

/** Each message's reactions: a reactor's latest counts, a taken-back one (empty) does not. */
function foldReactions(reactions: Awaited<ReturnType<typeof reactionsTo>>): Map<string, InboxReaction[]> {
  const latest = new Map<string, Map<string, { emoji: string; fromMe: boolean }>>()
  for (const reaction of reactions) {
    const byReactor = latest.get(reaction.targetId) ?? new Map()
    byReactor.set(reaction.fromMe ? 'me' : reaction.reactor, { emoji: reaction.emoji, fromMe: reaction.fromMe })
    latest.set(reaction.targetId, byReactor)
  }
  const folded = new Map<string, InboxReaction[]>()
  for (const [target, byReactor] of latest) {
    const counts = new Map<string, InboxReaction>()
    for (const { emoji, fromMe } of byReactor.values()) {
      if (!emoji) continue
      const entry = counts.get(emoji) ?? { emoji, count: 0, mine: false }
      entry.count += 1
      entry.mine ||= fromMe
      counts.set(emoji, entry)
    }
    if (counts.size) folded.set(target, [...counts.values()])
  }
  return folded
}

async function views(instance: Instance, jids: string[], chatName: string, messages: Message[]): Promise<InboxMessage[]> {
  const authors = [...new Set(messages.flatMap((message) => (message.participant ? [message.participant] : [])))]
  const [names, reactions] = await Promise.all([
    contactNames(instance.id, authors),
    reactionsTo(instance.id, jids, messages.map((message) => message.waId)),
  ])
  const folded = foldReactions(reactions)
  const context = { instanceName: instance.name, chatJid: jids[0], chatName, names, mediaUrl: (waId: string) => inboxMediaUrl(instance.name, waId) }
  return Promise.all(
    messages.map(async (message) => {
      const view = messageView(message, context)
      view.reactions = folded.get(message.waId) ?? []
      const poll = view.kind === 'poll' ? pollOf(message.message) : undefined
      if (poll) view.poll = await pollTally(instance.id, message.id, poll)
      return view
    }),
  )
}

/**
 * One chat's messages, newest first, a page at a time (the MessageCursor of chat/findMessages: an
 * unknown or tampered cursor is a 400, an unknown chat a 404 chat_not_found).
 */
export async function inboxMessages(
  instance: Instance,
  input: { chat: string; cursor?: string },
): Promise<{ chat: { jid: string; name: string; isGroup: boolean }; messages: InboxMessage[]; nextCursor: string | null }> {
  const jids = (await chatJids(instance, { remoteJid: input.chat }))!
  const after = decodeCursor(input.cursor, MessageCursor)
  const [name, page] = await Promise.all([
    inboxChatName(instance, jids[0]),
    pageMessages(instance.id, { chatJids: jids, excludeTypes: NOT_BUBBLES, limit: MESSAGES_PER_PAGE, after: after && { messageTimestamp: after.t, id: after.i } }),
  ])
  return {
    chat: { jid: jids[0], name, isGroup: jids[0].endsWith('@g.us') },
    messages: await views(instance, jids, name, page.messages),
    nextCursor: page.next && encodeCursor({ t: page.next.messageTimestamp, i: page.next.id }),
  }
}

