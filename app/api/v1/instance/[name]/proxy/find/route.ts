// GET /api/v1/instance/{name}/proxy/find – the instance's proxy, without its password (Evolution's proxy/find).
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { getProxy } from '@/lib/services/instances/settings'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: dataPlaneAuth }, async ({ auth }) => json(await getProxy(auth.instance))),
})
