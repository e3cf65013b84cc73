// GET /api/v1/instances/{name} – one instance; PATCH – change its settings and proxy; DELETE – log it out and delete it (an account key).
import { accountKeyAuth } from '@/lib/api/account-key'
import { apiRoute } from '@/lib/api/handler'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { UpdateInstanceApiBody } from '@/lib/api/schemas/platform'
import { deleteInstance, findInstance, instanceDetail } from '@/lib/services/instances/instances'
import { changeProxy, changeSettings, getProxy, getSettings } from '@/lib/services/instances/settings'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: accountKeyAuth }, async ({ auth, params }) => json(await instanceDetail({ ctx: auth.apiKey, input: { name: params.name } }))),
  PATCH: apiRoute({ auth: accountKeyAuth, body: UpdateInstanceApiBody }, async ({ auth, params, body }) => {
    const instance = await findInstance({ ctx: auth.apiKey, input: { name: params.name } })
    const { wavoipToken: _ignored, ...change } = body.settings ?? {}
    const settings = body.settings ? await changeSettings(instance, change) : await getSettings(instance)
    const proxy = body.proxy ? await changeProxy(instance, body.proxy) : await getProxy(instance)
    return json({ ...(await instanceDetail({ ctx: auth.apiKey, input: { name: params.name } })), settings, proxy })
  }),
  DELETE: apiRoute({ auth: accountKeyAuth }, async ({ auth, params }) => {
    await deleteInstance({ ctx: auth.apiKey, input: { name: params.name } })
    return json({ deleted: true, name: params.name })
  }),
})
