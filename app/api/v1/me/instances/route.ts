// GET /api/v1/me/instances – the account's instances; POST {name} – create one (session cookie, not an API key).
import { apiRoute } from '@/lib/api/handler'
import { methods } from '@/lib/api/methods'
import { created, json } from '@/lib/api/responses'
import { CreateInstanceBody } from '@/lib/api/schemas/instances'
import { sessionAuth, verifiedSessionAuth } from '@/lib/auth/session-auth'
import { createInstance, listInstances } from '@/lib/services/instances/instances'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: sessionAuth }, async ({ auth }) => json({ instances: await listInstances({ ctx: auth }) })),
  POST: apiRoute({ auth: verifiedSessionAuth, body: CreateInstanceBody }, async ({ auth, body }) =>
    created(await createInstance({ ctx: auth, input: body })),
  ),
})
