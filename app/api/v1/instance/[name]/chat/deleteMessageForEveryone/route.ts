// DELETE /api/v1/instance/{name}/chat/deleteMessageForEveryone – delete a message for everyone (ours, or anyone's in a group we admin).
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { DeleteForEveryoneBody } from '@/lib/api/schemas/messages'
import { deleteForEveryone } from '@/lib/services/messages/manage'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  DELETE: apiRoute({ auth: dataPlaneAuth, body: DeleteForEveryoneBody }, async ({ auth, body }) => json(await deleteForEveryone(auth.instance, { id: body.id }))),
})
