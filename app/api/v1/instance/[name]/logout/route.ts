// POST /api/v1/instance/{name}/logout – unlink the device; the instance stays, ready to pair again.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { logout } from '@/lib/services/instances/lifecycle'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth }, async ({ auth }) => {
    const state = await logout(auth.instance)
    return json({ instance: { instanceName: state.name, state: state.state } })
  }),
})
