// POST /api/v1/instance/{name}/group/updateGroupDescription – set or remove a group's description.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { UpdateDescriptionBody } from '@/lib/api/schemas/groups'
import { runGroupOperation } from '@/lib/services/groups'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: UpdateDescriptionBody }, async ({ auth, body }) => json(await runGroupOperation(auth.instance, 'updateDescription', body))),
})
