// POST /api/v1/instance/{name}/chat/sendPresence – show "typing…" or "recording audio…" in a chat, or the account online or offline.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { SendPresenceBody } from '@/lib/api/schemas/presence'
import { sendPresence } from '@/lib/services/chats/presence'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: SendPresenceBody }, async ({ auth, body }) => json(await sendPresence(auth.instance, body))),
})
