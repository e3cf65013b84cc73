// GET /api/v1/instance/{name}/chat/fetchBlocklist – the contacts the account blocked.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { fetchBlocklist } from '@/lib/services/messages/chat'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: dataPlaneAuth }, async ({ auth }) => json(await fetchBlocklist(auth.instance))),
})
