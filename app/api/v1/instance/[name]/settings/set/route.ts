// POST /api/v1/instance/{name}/settings/set – change the instance's behaviour switches (Evolution's settings/set).
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { created } from '@/lib/api/responses'
import { SetSettingsBody } from '@/lib/api/schemas/instance-settings'
import { changeSettings } from '@/lib/services/instances/settings'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: SetSettingsBody }, async ({ auth, body }) => {
    const { wavoipToken: _ignored, ...change } = body
    return created({ settings: { instanceName: auth.instance.name, settings: await changeSettings(auth.instance, change) } })
  }),
})
