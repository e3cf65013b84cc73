// GET /api/v1/webhooks/{id}/deliveries?limit=&status=&cursor= – the delivery log, newest first, each with its latest attempt.
import { apiRoute } from '@/lib/api/handler'
import { webhookKeyAuth } from '@/lib/api/account-key'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { DeliveryListQuery } from '@/lib/api/schemas/webhooks'
import { listDeliveries } from '@/lib/services/webhooks/deliveries'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: webhookKeyAuth, query: DeliveryListQuery }, async ({ auth, params, query }) =>
    json(await listDeliveries({ ctx: { userId: auth.apiKey.userId }, endpointId: params.id, query })),
  ),
})
