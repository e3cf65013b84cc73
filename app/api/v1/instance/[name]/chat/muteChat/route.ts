// POST /api/v1/instance/{name}/chat/muteChat – mute a chat for a while or until unmuted, or unmute it (synced to the phone).
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { chatOf, MuteChatBody } from '@/lib/api/schemas/chat-settings'
import { changeChatSettings, muteChange } from '@/lib/services/chats/settings'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: MuteChatBody }, async ({ auth, body }) => json(await changeChatSettings(auth.instance, chatOf(body), muteChange(body.mute, body.duration)))),
})
