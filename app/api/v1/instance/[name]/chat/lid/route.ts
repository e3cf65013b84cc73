// GET /api/v1/instance/{name}/chat/lid – a contact's LID from its number, or its number from its LID.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { LidQuery } from '@/lib/api/schemas/messages'
import { resolveLid } from '@/lib/services/messages/lid'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: dataPlaneAuth, query: LidQuery }, async ({ auth, query }) => json(await resolveLid(auth.instance, query))),
})
