// GET /api/v1/status – public health for uptime monitors; always 200, alert on the body's status.
import { apiRoute, noAuth } from '@/lib/api/handler'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { systemStatus } from '@/lib/services/status'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: noAuth }, async () => json(await systemStatus(), 200, { 'Cache-Control': 'no-store' })),
})
