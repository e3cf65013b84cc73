// GET /api/v1/instance/{name}/group/participants – a group's members.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { GroupJidQuery } from '@/lib/api/schemas/groups'
import { runGroupOperation } from '@/lib/services/groups'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: dataPlaneAuth, query: GroupJidQuery }, async ({ auth, query }) => json(await runGroupOperation(auth.instance, 'participants', query))),
})
