// POST /api/v1/instance/{name}/group/create – create a group with participants (and a description).
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { created } from '@/lib/api/responses'
import { CreateGroupBody } from '@/lib/api/schemas/groups'
import { runGroupOperation } from '@/lib/services/groups'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: CreateGroupBody }, async ({ auth, body }) => created(await runGroupOperation(auth.instance, 'create', body))),
})
