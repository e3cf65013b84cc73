// DELETE /api/v1/instance/{name}/chat/deleteChat – delete a chat from the phone and the chat list (its stored messages stay).
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { chatOf, DeleteChatBody } from '@/lib/api/schemas/chat-settings'
import { deleteChat } from '@/lib/services/chats/settings'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  DELETE: apiRoute({ auth: dataPlaneAuth, body: DeleteChatBody }, async ({ auth, body }) => json(await deleteChat(auth.instance, chatOf(body)))),
})
