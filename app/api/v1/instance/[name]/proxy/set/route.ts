// POST /api/v1/instance/{name}/proxy/set – route the instance's WhatsApp traffic through a proxy, or stop (Evolution's proxy/set).
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { created } from '@/lib/api/responses'
import { SetProxyBody } from '@/lib/api/schemas/instance-settings'
import { changeProxy } from '@/lib/services/instances/settings'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: SetProxyBody }, async ({ auth, body }) =>
    created({ proxy: { instanceName: auth.instance.name, proxy: await changeProxy(auth.instance, body) } }),
  ),
})
