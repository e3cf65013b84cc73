// GET /api/v1/instance/{name}/connectionState – the instance's WhatsApp connection state.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: dataPlaneAuth }, ({ auth }) =>
    json({ instance: { instanceName: auth.instance.name, state: auth.instance.state } }),
  ),
})
