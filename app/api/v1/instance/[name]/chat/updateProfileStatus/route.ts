// POST /api/v1/instance/{name}/chat/updateProfileStatus – the instance's about text.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { UpdateProfileStatusBody } from '@/lib/api/schemas/profile'
import { updateProfileStatus } from '@/lib/services/chats/profile'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: UpdateProfileStatusBody }, async ({ auth, body }) => json(await updateProfileStatus(auth.instance, body.status))),
})
