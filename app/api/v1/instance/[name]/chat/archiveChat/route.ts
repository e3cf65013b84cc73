// POST /api/v1/instance/{name}/chat/archiveChat – archive or unarchive a chat (synced to the phone).
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { ArchiveChatBody, chatOf } from '@/lib/api/schemas/chat-settings'
import { changeChatSettings } from '@/lib/services/chats/settings'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: ArchiveChatBody }, async ({ auth, body }) => json(await changeChatSettings(auth.instance, chatOf(body), { archive: body.archive }))),
})
