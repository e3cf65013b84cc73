// POST /api/v1/webhooks/{id}/test – send a signed WEBHOOK_TEST event to this endpoint; 202 with its delivery.
import { apiRoute } from '@/lib/api/handler'
import { webhookKeyAuth } from '@/lib/api/account-key'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { sendTestEvent } from '@/lib/services/webhooks/deliveries'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: webhookKeyAuth }, async ({ auth, params }) => json(await sendTestEvent({ ctx: { userId: auth.apiKey.userId }, endpointId: params.id }), 202)),
})
