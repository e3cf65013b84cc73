// POST /api/v1/instance/{name}/chat/findMessages – stored messages, newest first, filtered and paged.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { FindMessagesBody } from '@/lib/api/schemas/chats'
import { findMessages } from '@/lib/services/chats/find'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: FindMessagesBody }, async ({ auth, body }) => json(await findMessages(auth.instance, body))),
})
