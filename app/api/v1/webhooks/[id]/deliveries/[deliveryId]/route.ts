// GET /api/v1/webhooks/{id}/deliveries/{deliveryId} – one delivery with its payload and every attempt.
import { apiRoute } from '@/lib/api/handler'
import { webhookKeyAuth } from '@/lib/api/account-key'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { getDelivery } from '@/lib/services/webhooks/deliveries'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: webhookKeyAuth }, async ({ auth, params }) =>
    json(await getDelivery({ ctx: { userId: auth.apiKey.userId }, endpointId: params.id, deliveryId: params.deliveryId })),
  ),
})
