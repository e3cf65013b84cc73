// GET /api/v1/instance/{name}/chat/scheduled – the instance's scheduled sends, soonest first.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { ScheduledListQuery } from '@/lib/api/schemas/messages'
import { listScheduled } from '@/lib/services/messages/scheduled'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: dataPlaneAuth, query: ScheduledListQuery }, async ({ auth, query }) =>
    json(await listScheduled({ ...auth.instance, userId: auth.apiKey.userId }, query)),
  ),
})
