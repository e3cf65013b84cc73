// GET /api/v1/keys – the account's instance keys; POST {name?, rateLimit?, instances?, cidrs?} – mint one (an account key; the key is returned once).
import { accountKeyAuth } from '@/lib/api/account-key'
import { apiRoute } from '@/lib/api/handler'
import { methods } from '@/lib/api/methods'
import { created, json } from '@/lib/api/responses'
import { CreateInstanceKeyBody } from '@/lib/api/schemas/keys'
import { createApiKey, listApiKeys } from '@/lib/services/keys/keys'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: accountKeyAuth }, async ({ auth }) => {
    const keys = await listApiKeys({ userId: auth.apiKey.userId })
    return json({ keys: keys.filter((key) => key.scope === 'instance') })
  }),
  POST: apiRoute({ auth: accountKeyAuth, body: CreateInstanceKeyBody }, async ({ auth, body }) => {
    const { key, plaintext } = await createApiKey({ userId: auth.apiKey.userId }, { ...body, scope: 'instance' })
    return created({ ...key, key: plaintext })
  }),
})
