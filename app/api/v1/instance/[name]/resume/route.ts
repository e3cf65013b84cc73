// POST /api/v1/instance/{name}/resume – lift an auto-pause: the instance sends again, held messages first.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { resumeSending } from '@/lib/services/instances/send-health'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth }, async ({ auth }) => json(await resumeSending({ ...auth.instance, userId: auth.apiKey.userId }))),
})
