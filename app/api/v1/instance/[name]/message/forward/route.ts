// POST /api/v1/instance/{name}/message/forward – forward a stored message to a chat, marked "Forwarded".
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { created } from '@/lib/api/responses'
import { ForwardMessageBody } from '@/lib/api/schemas/messages'
import { forwardMessage } from '@/lib/services/messages/manage'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: ForwardMessageBody }, async ({ auth, body }) => {
    const message = await forwardMessage({ ...auth.instance, userId: auth.apiKey.userId }, { to: body.number, id: body.key.id, delayMs: body.delay, sendAt: body.sendAt, priority: body.priority })
    return created(message)
  }),
})
