// POST /api/v1/instance/{name}/chat/subscribePresence – get a chat's presence and typing as PRESENCE_UPDATE events.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { SubscribePresenceBody } from '@/lib/api/schemas/presence'
import { subscribePresence } from '@/lib/services/chats/presence'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: SubscribePresenceBody }, async ({ auth, body }) => json(await subscribePresence(auth.instance, body.number))),
})
