// POST /api/v1/instance/{name}/sandbox/contacts – make contacts in the instance’s sandbox world (sandbox instances only; 404 on real ones).
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { SandboxContactsBody } from '@/lib/api/schemas/sandbox'
import { makeContacts } from '@/lib/services/sandbox/control'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: SandboxContactsBody }, async ({ auth, body }) => json(await makeContacts({ ...auth.instance, userId: auth.apiKey.userId }, body))),
})
