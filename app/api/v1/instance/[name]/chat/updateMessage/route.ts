// POST /api/v1/instance/{name}/chat/updateMessage – edit a text or caption this instance sent (within 15 minutes).
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { UpdateMessageBody } from '@/lib/api/schemas/messages'
import { editMessage } from '@/lib/services/messages/manage'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: UpdateMessageBody }, async ({ auth, body }) => json(await editMessage(auth.instance, { id: body.key.id, text: body.text }))),
})
