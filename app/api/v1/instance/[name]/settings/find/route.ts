// GET /api/v1/instance/{name}/settings/find – the instance's behaviour switches (Evolution's settings/find).
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { getSettings } from '@/lib/services/instances/settings'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: dataPlaneAuth }, async ({ auth }) => json(await getSettings(auth.instance))),
})
