// POST /api/v1/instance/{name}/message/sendLocation – send a location pin.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { created } from '@/lib/api/responses'
import { SendLocationBody } from '@/lib/api/schemas/messages'
import { sendMessage } from '@/lib/services/messages/send'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: SendLocationBody }, async ({ auth, body }) => {
    const { number, delay, sendAt, priority, ...location } = body
    const message = await sendMessage({ ...auth.instance, userId: auth.apiKey.userId }, { to: number, content: { kind: 'location', ...location }, delayMs: delay, sendAt, priority })
    return created(message)
  }),
})
