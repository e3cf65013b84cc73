import 'server-only'
import { latestForInstance } from '@/lib/store/messages'
import type { AccountContext } from '@/lib/services/accounts/users'
import type { MessageStatus } from '@/lib/db/schema/messages'
import { describeMessage, type MessageKind } from '@/lib/messages/preview'
import type { InstanceRef } from './lifecycle'

/** A message as the instance page lists it: already reduced to what a person reads at a glance. */
export type RecentMessage = {
  id: string
  direction: 'in' | 'out'
  /** "+15550001111", or a group's / hidden number's id when there is no phone number to show. */
  chat: string
  isGroup: boolean
  pushName: string | null
  kind: MessageKind
  preview: string
  status: MessageStatus
  errorMessage: string | null
  viaApi: boolean
  at: string
}

export const RECENT_MESSAGES_LIMIT = 20

/** The instance's latest messages, newest first; scoped to the account in the query itself. */
export async function recentMessages({ ctx, instance }: { ctx: AccountContext; instance: InstanceRef }): Promise<RecentMessage[]> {
  const messages = await latestForInstance(ctx.userId, instance.id, RECENT_MESSAGES_LIMIT)
  return messages.map((message) => {
    const { kind, preview } = describeMessage(message.messageType, message.message)
    return {
      id: message.id,
      direction: message.fromMe ? 'out' : 'in',
      chat: chatLabel(message.remoteJid),
      isGroup: message.remoteJid.endsWith('@g.us'),
      pushName: message.fromMe ? null : message.pushName,
      kind,
      preview,
      status: message.status,
      errorMessage: message.errorMessage,
      viaApi: message.viaApi,
      at: message.createdAt.toISOString(),
    }
  })
}

export function chatLabel(jid: string): string {
  const [user, server] = jid.split('@')
  const number = user.split(':')[0]
  return server === 's.whatsapp.net' && /^\d+$/.test(number) ? `+${number}` : number
}
