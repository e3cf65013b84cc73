// POST /api/v1/instance/{name}/chat/pinChat – pin a chat to the top, or unpin it (synced to the phone).
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { chatOf, PinChatBody } from '@/lib/api/schemas/chat-settings'
import { changeChatSettings } from '@/lib/services/chats/settings'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: PinChatBody }, async ({ auth, body }) => json(await changeChatSettings(auth.instance, chatOf(body), { pin: body.pin }))),
})
