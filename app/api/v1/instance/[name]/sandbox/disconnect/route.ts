// POST /api/v1/instance/{name}/sandbox/disconnect – simulate WhatsApp dropping the connection, or a logout from the phone (sandbox instances only; 404 on real ones).
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { SandboxDisconnectBody } from '@/lib/api/schemas/sandbox'
import { disconnect } from '@/lib/services/sandbox/control'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: SandboxDisconnectBody }, async ({ auth, body }) => json(await disconnect({ ...auth.instance, userId: auth.apiKey.userId }, body))),
})
