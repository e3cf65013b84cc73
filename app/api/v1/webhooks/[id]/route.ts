// GET /api/v1/webhooks/{id} – one endpoint; PATCH {url?, events?, instance?, enabled?} – change it; DELETE – remove it with its delivery log.
import { apiRoute } from '@/lib/api/handler'
import { webhookKeyAuth } from '@/lib/api/account-key'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { UpdateWebhookBody } from '@/lib/api/schemas/webhooks'
import { deleteWebhookEndpoint, getWebhookEndpoint, updateWebhookEndpoint } from '@/lib/services/webhooks/endpoints'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: webhookKeyAuth }, async ({ auth, params }) => json(await getWebhookEndpoint({ ctx: { userId: auth.apiKey.userId }, id: params.id }))),
  PATCH: apiRoute({ auth: webhookKeyAuth, body: UpdateWebhookBody }, async ({ auth, params, body }) =>
    json(await updateWebhookEndpoint({ ctx: { userId: auth.apiKey.userId }, id: params.id, input: body })),
  ),
  DELETE: apiRoute({ auth: webhookKeyAuth }, async ({ auth, params }) => {
    await deleteWebhookEndpoint({ ctx: { userId: auth.apiKey.userId }, id: params.id })
    return json({ deleted: true, id: params.id })
  }),
})
