// GET /api/v1/me/instances/{name} – one instance's live state; DELETE – log it out and delete it (session cookie).
import { apiRoute } from '@/lib/api/handler'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { sessionAuth } from '@/lib/auth/session-auth'
import { deleteInstance, findInstance } from '@/lib/services/instances/instances'
import { liveState } from '@/lib/services/instances/lifecycle'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: sessionAuth }, async ({ auth, params }) => {
    const instance = await findInstance({ ctx: auth, input: { name: params.name } })
    const { name, state, phoneNumber, pushName, statusReason, updatedAt } = await liveState(instance)
    return json({ name, state, phoneNumber, pushName, statusReason, updatedAt })
  }),
  DELETE: apiRoute({ auth: sessionAuth }, async ({ auth, params }) => {
    await deleteInstance({ ctx: auth, input: { name: params.name } })
    return json({ deleted: params.name })
  }),
})
