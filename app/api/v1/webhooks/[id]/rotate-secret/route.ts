// POST /api/v1/webhooks/{id}/rotate-secret – a new signing secret, returned once; the old one also signs for 24 h (X-Sage-Signature-Previous).
import { apiRoute } from '@/lib/api/handler'
import { webhookKeyAuth } from '@/lib/api/account-key'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { rotateWebhookSecret } from '@/lib/services/webhooks/endpoints'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: webhookKeyAuth }, async ({ auth, params }) => json(await rotateWebhookSecret({ ctx: { userId: auth.apiKey.userId }, id: params.id }))),
})
