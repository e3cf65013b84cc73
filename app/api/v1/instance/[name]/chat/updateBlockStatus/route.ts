// POST /api/v1/instance/{name}/chat/updateBlockStatus – block or unblock a contact.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { UpdateBlockStatusBody } from '@/lib/api/schemas/chats'
import { updateBlockStatus } from '@/lib/services/messages/chat'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: UpdateBlockStatusBody }, async ({ auth, body }) => json(await updateBlockStatus(auth.instance, body.number, body.status))),
})
