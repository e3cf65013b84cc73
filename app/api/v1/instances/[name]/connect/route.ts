// GET /api/v1/instances/{name}/connect – a QR code to pair the instance, or with ?number= a pairing code (an account key).
import { accountKeyAuth } from '@/lib/api/account-key'
import { apiRoute } from '@/lib/api/handler'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { ConnectQuery } from '@/lib/api/schemas/instances-data-plane'
import { findInstance } from '@/lib/services/instances/instances'
import { connect } from '@/lib/services/instances/lifecycle'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: accountKeyAuth, query: ConnectQuery }, async ({ auth, params, query }) => {
    const instance = await findInstance({ ctx: auth.apiKey, input: { name: params.name } })
    const result = await connect(instance, { phoneNumber: query.number })
    return json({ code: result.code, base64: result.base64, pairingCode: result.pairingCode, count: result.count })
  }),
})
