// GET /metrics – the web process's Prometheus metrics, for operators: Bearer METRICS_TOKEN; a 404 when it is not set.
import { config } from '@/lib/config'
import { ApiError } from '@/lib/api/errors'
import { newRequestId } from '@/lib/api/handler'
import { errorResponse } from '@/lib/api/responses'
import { webMetrics } from '@/lib/metrics/web'
import { metricsAccess } from '@/lib/metrics/token'

export const dynamic = 'force-dynamic'

export async function GET(request: Request): Promise<Response> {
  const access = metricsAccess(config().METRICS_TOKEN, request.headers.get('authorization'))
  if (access === 'not_configured') return errorResponse(new ApiError('not_found'), newRequestId())
  if (access === 'unauthorized') {
    return errorResponse(new ApiError('unauthorized', 'Send "Authorization: Bearer <METRICS_TOKEN>".', undefined, { 'WWW-Authenticate': 'Bearer' }), newRequestId())
  }
  const { registry } = webMetrics()
  return new Response(await registry.metrics(), { headers: { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' } })
}
