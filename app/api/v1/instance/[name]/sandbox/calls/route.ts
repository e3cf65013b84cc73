// POST /api/v1/instance/{name}/sandbox/calls – a sandbox contact calls the instance (sandbox instances only; 404 on real ones).
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { SandboxCallsBody } from '@/lib/api/schemas/sandbox'
import { call } from '@/lib/services/sandbox/control'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: SandboxCallsBody }, async ({ auth, body }) => json(await call({ ...auth.instance, userId: auth.apiKey.userId }, body))),
})
