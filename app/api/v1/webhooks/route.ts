// GET /api/v1/webhooks – the account's webhook endpoints; POST {url, events?, instance?, enabled?} – add one (the secret is returned once).
import { apiRoute } from '@/lib/api/handler'
import { webhookKeyAuth } from '@/lib/api/account-key'
import { methods } from '@/lib/api/methods'
import { created, json } from '@/lib/api/responses'
import { CreateWebhookBody } from '@/lib/api/schemas/webhooks'
import { createWebhookEndpoint, listWebhookEndpoints } from '@/lib/services/webhooks/endpoints'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: webhookKeyAuth }, async ({ auth }) => json({ webhooks: await listWebhookEndpoints({ ctx: { userId: auth.apiKey.userId } }) })),
  POST: apiRoute({ auth: webhookKeyAuth, body: CreateWebhookBody }, async ({ auth, body }) =>
    created(await createWebhookEndpoint({ ctx: { userId: auth.apiKey.userId }, input: body })),
  ),
})
