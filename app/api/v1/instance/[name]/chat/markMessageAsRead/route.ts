// POST /api/v1/instance/{name}/chat/markMessageAsRead – send read receipts for received messages.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { MarkAsReadBody } from '@/lib/api/schemas/messages'
import { markAsRead } from '@/lib/services/messages/chat'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: MarkAsReadBody }, async ({ auth, body }) => json(await markAsRead(auth.instance, body.readMessages))),
})
