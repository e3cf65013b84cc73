// GET /api/v1/instance/{name}/messages/{id} – a message with its status history.
// DELETE /api/v1/instance/{name}/messages/{id} – cancel a scheduled send before its time.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { getMessage } from '@/lib/services/messages/read'
import { cancelScheduledSend } from '@/lib/services/messages/scheduled'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: dataPlaneAuth }, async ({ auth, params }) => json(await getMessage(auth.instance, params.id))),
  DELETE: apiRoute({ auth: dataPlaneAuth }, async ({ auth, params }) =>
    json(await cancelScheduledSend({ ...auth.instance, userId: auth.apiKey.userId }, params.id)),
  ),
})
