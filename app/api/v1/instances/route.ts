// GET /api/v1/instances – the account's instances; POST {instanceName, qrcode?, number?} – create one (an account key).
import { accountKeyAuth, keyAccount } from '@/lib/api/account-key'
import { apiRoute } from '@/lib/api/handler'
import { methods } from '@/lib/api/methods'
import { created, json } from '@/lib/api/responses'
import { CreateInstanceApiBody } from '@/lib/api/schemas/platform'
import { createInstance, findInstance, instanceDetail, listInstanceDetails } from '@/lib/services/instances/instances'
import { connect } from '@/lib/services/instances/lifecycle'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: accountKeyAuth }, async ({ auth }) => json({ instances: await listInstanceDetails({ ctx: auth.apiKey }) })),
  POST: apiRoute({ auth: accountKeyAuth, body: CreateInstanceApiBody }, async ({ auth, body }) => {
    const ctx = await keyAccount(auth)
    await createInstance({ ctx, input: { name: body.instanceName, sandbox: body.sandbox } })
    const instance = await findInstance({ ctx, input: { name: body.instanceName } })
    const pairing = body.qrcode ? await connect(instance, { phoneNumber: body.number }) : null
    return created({
      instance: await instanceDetail({ ctx, input: { name: instance.name } }),
      qrcode: pairing && { code: pairing.code, base64: pairing.base64, pairingCode: pairing.pairingCode, count: pairing.count },
    })
  }),
})
