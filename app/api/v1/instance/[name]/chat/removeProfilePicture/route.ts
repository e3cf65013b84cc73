// DELETE /api/v1/instance/{name}/chat/removeProfilePicture – take the instance's picture down.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { removeProfilePicture } from '@/lib/services/chats/profile'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  DELETE: apiRoute({ auth: dataPlaneAuth }, async ({ auth }) => json(await removeProfilePicture(auth.instance))),
})
