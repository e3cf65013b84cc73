// POST /api/v1/instance/{name}/chat/updateProfileName – the push name contacts see.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { UpdateProfileNameBody } from '@/lib/api/schemas/profile'
import { updateProfileName } from '@/lib/services/chats/profile'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: UpdateProfileNameBody }, async ({ auth, body }) => json(await updateProfileName(auth.instance, body.name))),
})
