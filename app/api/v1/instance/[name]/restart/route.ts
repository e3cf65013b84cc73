// POST /api/v1/instance/{name}/restart – reconnect with the stored session (no logout, no new QR).
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { restart } from '@/lib/services/instances/lifecycle'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth }, async ({ auth }) => {
    const state = await restart(auth.instance)
    return json({ instance: { instanceName: state.name, state: state.state } })
  }),
})
