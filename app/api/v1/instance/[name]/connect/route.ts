// GET /api/v1/instance/{name}/connect – a QR code to pair, or with ?number= a pairing code.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { ConnectQuery } from '@/lib/api/schemas/instances-data-plane'
import { connect } from '@/lib/services/instances/lifecycle'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: dataPlaneAuth, query: ConnectQuery }, async ({ auth, query }) => {
    const result = await connect(auth.instance, { phoneNumber: query.number })
    return json({ code: result.code, base64: result.base64, pairingCode: result.pairingCode, count: result.count })
  }),
})
