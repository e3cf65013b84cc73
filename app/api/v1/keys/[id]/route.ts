// GET /api/v1/keys/{id} – one instance key; PATCH {name?, rateLimit?, instances?, cidrs?} – edit it; DELETE – revoke it (an account key).
import { accountKeyAuth } from '@/lib/api/account-key'
import { apiRoute } from '@/lib/api/handler'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { UpdateKeyBody } from '@/lib/api/schemas/keys'
import { requireInstanceKey, revokeApiKey, updateApiKey } from '@/lib/services/keys/keys'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: accountKeyAuth }, async ({ auth, params }) => json(await requireInstanceKey({ userId: auth.apiKey.userId }, params.id))),
  PATCH: apiRoute({ auth: accountKeyAuth, body: UpdateKeyBody }, async ({ auth, params, body }) => {
    await requireInstanceKey({ userId: auth.apiKey.userId }, params.id)
    return json(await updateApiKey({ userId: auth.apiKey.userId }, params.id, body))
  }),
  DELETE: apiRoute({ auth: accountKeyAuth }, async ({ auth, params }) => {
    await requireInstanceKey({ userId: auth.apiKey.userId }, params.id)
    return json(await revokeApiKey({ userId: auth.apiKey.userId }, { id: params.id }))
  }),
})
