// POST /api/v1/instance/{name}/sandbox/receive – a sandbox contact sends the instance a message (sandbox instances only; 404 on real ones).
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { SandboxReceiveBody } from '@/lib/api/schemas/sandbox'
import { receive } from '@/lib/services/sandbox/control'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: SandboxReceiveBody }, async ({ auth, body }) => json(await receive({ ...auth.instance, userId: auth.apiKey.userId }, body))),
})
