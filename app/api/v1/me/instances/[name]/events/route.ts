// GET /api/v1/me/instances/{name}/events – the instance's live state and latest messages as server-sent events (session cookie).
import { apiRoute } from '@/lib/api/handler'
import { methods } from '@/lib/api/methods'
import { sessionAuth } from '@/lib/auth/session-auth'
import { findInstance } from '@/lib/services/instances/instances'
import { instanceEventStream, SSE_HEADERS } from '@/lib/services/instances/live-events'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: sessionAuth }, async ({ auth, params, request }) => {
    const instance = await findInstance({ ctx: auth, input: { name: params.name } })
    return new Response(instanceEventStream({ ctx: auth, instance, signal: request.signal }), { headers: SSE_HEADERS })
  }),
})
