// POST /api/v1/instance/{name}/sandbox/receipts – a sandbox contact’s phone sends receipts (or stops sending them) (sandbox instances only; 404 on real ones).
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { SandboxReceiptsBody } from '@/lib/api/schemas/sandbox'
import { sendReceipts } from '@/lib/services/sandbox/control'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: SandboxReceiptsBody }, async ({ auth, body }) => json(await sendReceipts({ ...auth.instance, userId: auth.apiKey.userId }, body))),
})
