// POST /api/v1/instance/{name}/chat/findChats – the instance's chats, newest message first, paged.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { FindChatsBody } from '@/lib/api/schemas/chats'
import { findChats } from '@/lib/services/chats/find'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: FindChatsBody }, async ({ auth, body }) => json(await findChats(auth.instance, body))),
})
