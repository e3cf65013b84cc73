// POST /api/v1/instance/{name}/group/updateParticipant – add, remove, promote or demote members, with a result per participant.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { UpdateParticipantBody } from '@/lib/api/schemas/groups'
import { runGroupOperation } from '@/lib/services/groups'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: UpdateParticipantBody }, async ({ auth, body }) => json(await runGroupOperation(auth.instance, 'updateParticipants', body))),
})
