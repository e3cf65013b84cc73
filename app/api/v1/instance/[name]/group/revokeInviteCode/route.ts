// POST /api/v1/instance/{name}/group/revokeInviteCode – replace the invite link; the old one stops working.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { GroupJidBody } from '@/lib/api/schemas/groups'
import { runGroupOperation } from '@/lib/services/groups'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: GroupJidBody }, async ({ auth, body }) => json(await runGroupOperation(auth.instance, 'revokeInviteCode', body))),
})
