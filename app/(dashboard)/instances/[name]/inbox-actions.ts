'use server'
// The Inbox's server actions. Each one is CSRF-checked, needs the session, validates its input and
// finds the instance in the signed-in account (another account's is instance_not_found), through
// the one wrapper every dashboard action uses (lib/actions/server-action.ts).
import { z } from 'zod'
import { serverAction } from '@/lib/actions/server-action'
import { GroupJid } from '@/lib/api/schemas/groups'
import { PhoneNumber } from '@/lib/api/schemas/instances-data-plane'
import type { SessionUser } from '@/lib/auth/session'
import { findInstance } from '@/lib/services/instances/instances'
import { sendInboxFile, sendInboxText } from '@/lib/services/inbox/compose'
import { inboxChats, inboxMessages } from '@/lib/services/inbox/conversation'
import { changeMember, groupPanel, leaveGroup, resetInviteLink } from '@/lib/services/inbox/group-panel'

const ThisInstance = z.object({ name: z.string().min(1).max(200) })
const Chat = z.string().trim().min(1).max(200)
const Cursor = z.string().max(500).optional()

async function ownInstance(user: SessionUser, name: string) {
  return { ...(await findInstance({ ctx: user, input: { name } })), userId: user.userId }
}

export const listChatsAction = serverAction(
  { input: ThisInstance.extend({ archived: z.boolean(), search: z.string().trim().max(100).optional(), cursor: Cursor }) },
  async ({ user, input }) => inboxChats(await ownInstance(user, input.name), { archived: input.archived, search: input.search || undefined, cursor: input.cursor }),
)

export const loadMessagesAction = serverAction({ input: ThisInstance.extend({ chat: Chat, cursor: Cursor }) }, async ({ user, input }) =>
  inboxMessages(await ownInstance(user, input.name), { chat: input.chat, cursor: input.cursor }),
)

export const sendTextAction = serverAction(
  { input: ThisInstance.extend({ chat: Chat, text: z.string().trim().min(1, 'Type a message first').max(65_536, 'A message is at most 65,536 characters') }) },
  async ({ user, input }) => (await sendInboxText(await ownInstance(user, input.name), { chat: input.chat, text: input.text })).key.id,
)

export const sendFileAction = serverAction(
  {
    input: ThisInstance.extend({
      chat: Chat,
      file: z.instanceof(File, { message: 'Pick a file to send' }).refine((file) => file.size > 0, 'The file is empty'),
      caption: z.string().trim().max(1024, 'A caption is at most 1,024 characters').optional(),
    }),
  },
  async ({ user, input }) => (await sendInboxFile(await ownInstance(user, input.name), { chat: input.chat, file: input.file, caption: input.caption || undefined })).key.id,
)

const ThisGroup = ThisInstance.extend({ groupJid: GroupJid })

export const groupPanelAction = serverAction({ input: ThisGroup }, async ({ user, input }) => groupPanel(await ownInstance(user, input.name), input.groupJid))

export const changeMemberAction = serverAction(
  { input: ThisGroup.extend({ action: z.enum(['remove', 'promote', 'demote']), number: PhoneNumber }) },
  async ({ user, input }) => {
    const instance = await ownInstance(user, input.name)
    await changeMember(instance, { groupJid: input.groupJid, action: input.action, number: input.number })
    return groupPanel(instance, input.groupJid)
  },
)

export const resetInviteLinkAction = serverAction({ input: ThisGroup }, async ({ user, input }) => resetInviteLink(await ownInstance(user, input.name), input.groupJid))

export const leaveGroupAction = serverAction({ input: ThisGroup }, async ({ user, input }) => {
  await leaveGroup(await ownInstance(user, input.name), input.groupJid)
  return input.groupJid
})
