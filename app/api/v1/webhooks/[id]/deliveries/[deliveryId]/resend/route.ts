// POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/resend – one more attempt now, same X-Sage-Delivery id; 202.
import { apiRoute } from '@/lib/api/handler'
import { webhookKeyAuth } from '@/lib/api/account-key'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { resendDelivery } from '@/lib/services/webhooks/deliveries'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: webhookKeyAuth }, async ({ auth, params }) =>
    json(await resendDelivery({ ctx: { userId: auth.apiKey.userId }, endpointId: params.id, deliveryId: params.deliveryId }), 202),
  ),
})
